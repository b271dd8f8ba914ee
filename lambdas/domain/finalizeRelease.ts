import { describeCause } from './describeCause.ts';
import type { EcsPort, EcsTaskPort, MigrationStorePort, PostPromotionMigrationRecord, ReleaseStorePort } from './ports.ts';
import { MigrationPhase, ReleaseOutcome, type ColorValue, type ReleaseState } from './releaseState.ts';
import { requireBuild } from './requireBuild.ts';
import { stopMigration } from './stopMigration.ts';
import { truncateCause } from './truncateCause.ts';

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
  /** True after the first Finalize of a release with a `postPromotionMigration`: the old colour is at 0, the migration runs next, the release is not recorded yet. */
  readonly postPromotionMigrationPending?: boolean;
  /** Set when the post-promotion migration failed: the release succeeded, but the contract migration needs a human. */
  readonly warning?: string;
}

/** The ports Finalize uses; `migrations` only for a release with a `postPromotionMigration`. */
export interface FinalizeReleasePorts {
  readonly ecs: EcsPort;
  readonly store: ReleaseStorePort;
  readonly migrations?: { readonly ecs: EcsTaskPort; readonly store: MigrationStorePort };
}

/**
 * What the ledger records of the release's contract migration: how RunPostPromotionMigration ended, or `undefined`
 * when it has not run (none configured, or the release did not get that far).
 */
export function postPromotionMigrationRecordOf(state: ReleaseState): PostPromotionMigrationRecord | undefined {
  const { postPromotionMigration: result, postPromotionMigrationError: error } = state;
  if (result !== undefined) {
    return {
      outcome: result.outcome,
      releaseId: result.releaseId,
      ...(result.taskArn === undefined ? {} : { taskArn: result.taskArn }),
      ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
    };
  }
  return error === undefined ? undefined : { outcome: 'Failed' };
}

async function postPromotionWarning(state: ReleaseState, ports: FinalizeReleasePorts, now: Date): Promise<string | undefined> {
  const { postPromotionMigrationError: error } = state;
  if (error === undefined) return undefined;
  const timeoutSeconds = state.release.postPromotionMigration?.timeoutSeconds;
  const reason = error.Error === 'States.Timeout' ? `it did not finish within its timeout of ${timeoutSeconds ?? '?'} s` : describeCause(error);
  const stopped = ports.migrations === undefined ? undefined : await stopMigration(state.release, MigrationPhase.Post, ports.migrations, now, reason);
  return truncateCause(
    `postPromotionMigration failed (${stopped ?? reason}). Traffic stays on the new colour: rolling code back after a contract migration is unsafe. ` +
      'Fix the migration and run it by hand, or release a fix forward (see docs/migrations.md).',
  );
}

/**
 * The Finalize and CompleteRelease states: traffic is at 100 % on the new colour and the last bake passed, so the old
 * colour is scaled to 0, the ledger records the success and the lock is released. With a `postPromotionMigration`,
 * the first call only scales the old colour down and reports the migration pending; the second (after the migration)
 * records the success, with a warning when the migration failed (its task stopped if it was still running).
 */
export async function finalizeRelease(
  state: ReleaseState,
  ports: FinalizeReleasePorts,
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
  if (recorded?.outcome === ReleaseOutcome.Succeeded) return { ...result, ...(recorded.cause === undefined ? {} : { warning: recorded.cause }) };
  await ports.ecs.updateService(release.cluster, release.stable.serviceName, { desiredCount: 0 });
  const migrationRan = state.postPromotionMigration !== undefined || state.postPromotionMigrationError !== undefined;
  // The contract migration runs once the old colour no longer serves, while this release still holds the lock.
  if (release.postPromotionMigration !== undefined && !migrationRan) return { ...result, postPromotionMigrationPending: true };
  const warning = await postPromotionWarning(state, ports, now);
  const contract = postPromotionMigrationRecordOf(state);
  await ports.store.completeRelease({
    environment: release.environment,
    service: release.service,
    ledgerSortKey: release.ledgerSortKey,
    executionArn: release.executionArn,
    releaseId: release.releaseId,
    outcome: ReleaseOutcome.Succeeded,
    endedAt: now.toISOString(),
    toTaskDefinition: taskDefinitionArn,
    ...(warning === undefined ? {} : { cause: warning }),
    ...(contract === undefined ? {} : { postPromotionMigration: contract }),
  });
  return warning === undefined ? result : { ...result, warning };
}
