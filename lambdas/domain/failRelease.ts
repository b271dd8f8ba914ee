import { describeCause } from './describeCause.ts';
import type { ReleaseStorePort } from './ports.ts';
import { ReleaseOutcome, type ReleaseState } from './releaseState.ts';

/** What ReleaseFailed reports (`$.failed`); the Fail state after it uses both fields. */
export interface FailReleaseResult {
  /** The caught error's name, or `ReleaseFailed` when there is none. */
  readonly error: string;
  readonly cause: string;
}

/**
 * The ReleaseFailed state, for failures with nothing to roll back (Build, or Finalize once traffic is fully on the
 * new colour): records the outcome Failed with its cause and releases the lock.
 */
export async function failRelease(state: ReleaseState, ports: { readonly store: ReleaseStorePort }, now: Date): Promise<FailReleaseResult> {
  const { release } = state;
  const cause = describeCause(state.error, state.step);
  await ports.store.completeRelease({
    environment: release.environment,
    service: release.service,
    ledgerSortKey: release.ledgerSortKey,
    executionArn: release.executionArn,
    releaseId: release.releaseId,
    outcome: ReleaseOutcome.Failed,
    cause,
    endedAt: now.toISOString(),
    ...(state.build === undefined ? {} : { toTaskDefinition: state.build.taskDefinitionArn }),
  });
  return { error: state.error?.Error ?? 'ReleaseFailed', cause };
}
