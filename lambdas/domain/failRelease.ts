import { describeCause } from './describeCause.ts';
import { postPromotionMigrationRecordOf } from './finalizeRelease.ts';
import type { ReleaseStorePort } from './ports.ts';
import { ReleaseOutcome, type ReleaseState } from './releaseState.ts';
import { truncateCause } from './truncateCause.ts';

/** What ReleaseFailed reports (`$.failed`); the Fail state after it uses both fields. */
export interface FailReleaseResult {
  /** The caught error's name, or `ReleaseFailed` when there is none. */
  readonly error: string;
  readonly cause: string;
}

/**
 * True when the new colour serves all the traffic: Finalize ran (`$.finalize`, the old colour is at 0) or the step at
 * weight 100 was applied. Only Build, Finalize and CompleteRelease lead to ReleaseFailed, so this is Finalize's or
 * CompleteRelease's failure.
 */
export function isNewColorLive(state: ReleaseState): boolean {
  if (state.finalize !== undefined) return true;
  const step = state.step;
  return step !== undefined && 'weight' in step && step.weight === 100;
}

/**
 * The ReleaseFailed state, for failures with nothing to roll back: records the outcome and its cause and releases the
 * lock. A Build failure is recorded Failed. A Finalize (or CompleteRelease) failure comes after traffic reached 100 %
 * on the new colour, which passed every bake and stays live: the ledger records what is live, `Succeeded` with the new
 * task definition and the error as its cause, so that a later rollback undoes this release and not the one before.
 */
export async function failRelease(state: ReleaseState, ports: { readonly store: ReleaseStorePort }, now: Date): Promise<FailReleaseResult> {
  const { release } = state;
  const error = state.error?.Error ?? 'ReleaseFailed';
  const described = describeCause(state.error, state.step);
  const common = {
    environment: release.environment,
    service: release.service,
    ledgerSortKey: release.ledgerSortKey,
    executionArn: release.executionArn,
    releaseId: release.releaseId,
    endedAt: now.toISOString(),
  };
  const toTaskDefinition = state.finalize?.taskDefinitionArn ?? state.build?.taskDefinitionArn;
  if (!isNewColorLive(state) || toTaskDefinition === undefined) {
    await ports.store.completeRelease({ ...common, outcome: ReleaseOutcome.Failed, cause: described, ...(toTaskDefinition === undefined ? {} : { toTaskDefinition }) });
    return { error, cause: described };
  }
  const cause = truncateCause(
    `the new colour (${release.idle.color}, task definition ${toTaskDefinition}) serves 100 % of the traffic and stays live, recorded Succeeded; ` +
      `check that ${release.stable.serviceName} is scaled to 0. Finalizing failed: ${described}`,
  );
  // A Finalize that recorded the success and then failed (e.g. timed out) already released the lock: keep its record.
  const recorded = await ports.store.getLedgerRecord(release.environment, release.service, release.ledgerSortKey);
  if (recorded?.outcome === ReleaseOutcome.Succeeded) return { error, cause };
  const contract = postPromotionMigrationRecordOf(state);
  await ports.store.completeRelease({
    ...common,
    outcome: ReleaseOutcome.Succeeded,
    cause,
    toTaskDefinition,
    ...(contract === undefined ? {} : { postPromotionMigration: contract }),
  });
  return { error, cause };
}
