import type { EcsPort, ReleaseStorePort } from './ports.ts';
import { ReleaseOutcome, type ColorValue, type ReleaseState } from './releaseState.ts';
import { requireBuild } from './requireBuild.ts';

/** What Finalize reports (`$.finalize`, and the output of a successful execution). */
export interface FinalizeResult {
  readonly outcome: typeof ReleaseOutcome.Succeeded;
  readonly releaseId: string;
  /** The colour that now serves production. */
  readonly liveColor: ColorValue;
  /** The colour that served production before, now scaled to 0. */
  readonly previousColor: ColorValue;
  readonly taskDefinitionArn: string;
  readonly imageUri: string;
}

/**
 * The Finalize state: traffic is at 100 % on the new colour and the last bake passed, so the old colour is scaled
 * to 0, the ledger records the success and the lock is released.
 */
export async function finalizeRelease(
  state: ReleaseState,
  ports: { readonly ecs: EcsPort; readonly store: ReleaseStorePort },
  now: Date,
): Promise<FinalizeResult> {
  const { release } = state;
  const { taskDefinitionArn } = requireBuild(state, 'Finalize');
  const result: FinalizeResult = {
    outcome: ReleaseOutcome.Succeeded,
    releaseId: release.releaseId,
    liveColor: release.idle.color,
    previousColor: release.stable.color,
    taskDefinitionArn,
    imageUri: release.image.imageUri,
  };
  // A retry after the release was recorded (the lock is free by then) must not touch a service another release may own.
  const recorded = await ports.store.getLedgerRecord(release.environment, release.service, release.ledgerSortKey);
  if (recorded?.outcome === ReleaseOutcome.Succeeded) return result;
  await ports.ecs.updateService(release.cluster, release.stable.serviceName, { desiredCount: 0 });
  await ports.store.completeRelease({
    environment: release.environment,
    service: release.service,
    ledgerSortKey: release.ledgerSortKey,
    executionArn: release.executionArn,
    releaseId: release.releaseId,
    outcome: ReleaseOutcome.Succeeded,
    endedAt: now.toISOString(),
    toTaskDefinition: taskDefinitionArn,
  });
  return result;
}
