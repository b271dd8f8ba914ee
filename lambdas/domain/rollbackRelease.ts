import { describeCause } from './describeCause.ts';
import type { EcsPort, LoadBalancerPort, ReleaseStorePort } from './ports.ts';
import { ReleaseOutcome, type ReleaseState } from './releaseState.ts';
import { trafficWeights } from './trafficWeights.ts';

/** What Rollback reports (`$.rollback`); the cause becomes the execution's failure cause. */
export interface RollbackResult {
  readonly outcome: typeof ReleaseOutcome.RolledBack;
  readonly cause: string;
  /** When this invocation put the stable colour back at 100 (absent when the rollback was already recorded). */
  readonly weightsRestoredAt?: string;
}

/**
 * The Rollback state: puts the stable colour back at weight 100 first (the one action that protects users), then
 * scales the idle colour to 0, records the outcome and releases the lock. Runs from any state after Build, so it
 * needs nothing but `release`; every step is safe to repeat when the state machine retries it. `clock` reads the time
 * the weights were restored (for the rollback reaction metric). @default `now`
 */
export async function rollbackRelease(
  state: ReleaseState,
  ports: { readonly loadBalancer: LoadBalancerPort; readonly ecs: EcsPort; readonly store: ReleaseStorePort },
  now: Date,
  clock: () => Date = () => now,
): Promise<RollbackResult> {
  const { release } = state;
  // A retry after the rollback was recorded (the lock is free by then) must not move traffic another release may own.
  const recorded = await ports.store.getLedgerRecord(release.environment, release.service, release.ledgerSortKey);
  if (recorded?.outcome === ReleaseOutcome.RolledBack) return { outcome: ReleaseOutcome.RolledBack, cause: recorded.cause ?? describeCause(state.error, state.step) };
  await ports.loadBalancer.setForwardWeights(release.productionListenerRuleArn, trafficWeights(release, 0), release.stickiness, release.ruleLayout);
  const weightsRestoredAt = clock().toISOString();
  await ports.ecs.updateService(release.cluster, release.idle.serviceName, { desiredCount: 0 });
  const cause = describeCause(state.error, state.step);
  await ports.store.completeRelease({
    environment: release.environment,
    service: release.service,
    ledgerSortKey: release.ledgerSortKey,
    executionArn: release.executionArn,
    releaseId: release.releaseId,
    outcome: ReleaseOutcome.RolledBack,
    cause,
    endedAt: now.toISOString(),
    ...(state.build === undefined ? {} : { toTaskDefinition: state.build.taskDefinitionArn }),
  });
  return { outcome: ReleaseOutcome.RolledBack, cause, weightsRestoredAt };
}
