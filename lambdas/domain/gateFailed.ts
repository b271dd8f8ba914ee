import { describeCause } from './describeCause.ts';
import { ReleaseErrorName } from './errors.ts';
import type { EcsPort, EcsTaskPort, LoadBalancerPort, MigrationStorePort, ReleaseStorePort } from './ports.ts';
import { Gate, MigrationPhase, ReleaseOutcome, type GateValue, type ReleaseState } from './releaseState.ts';
import { stopMigration } from './stopMigration.ts';
import { truncateCause } from './truncateCause.ts';

/** What GateFailed reports (`$.failed`); the Fail state after it uses both fields. */
export interface GateFailedResult {
  /**
   * The gate's error: `MigrationFailed`, `SmokeTestFailed`, `ReleaseFrozen` or `ApprovalRejected`; `ReleaseAborted`
   * when an operator aborted a release parked at a gate; for the policy gate the caught error's own name
   * (`ReleaseFrozen`, `InvalidEnvironmentSettings`, or a fault of the CheckReleasePolicy Lambda).
   */
  readonly error: string;
  readonly cause: string;
}

/** The ports GateFailed uses. */
export interface GateFailedPorts {
  readonly ecs: EcsPort & EcsTaskPort;
  readonly loadBalancer: LoadBalancerPort;
  readonly store: ReleaseStorePort;
  /** The migration records (the same table). */
  readonly migrations: MigrationStorePort;
}

const GATE_ERROR: Record<GateValue, string> = {
  [Gate.Policy]: ReleaseErrorName.ReleaseFrozen,
  [Gate.Migration]: ReleaseErrorName.MigrationFailed,
  [Gate.SmokeTests]: ReleaseErrorName.SmokeTestFailed,
  [Gate.Freeze]: ReleaseErrorName.ReleaseFrozen,
  [Gate.Approval]: ReleaseErrorName.ApprovalRejected,
};
const GATE_LABEL: Record<GateValue, string> = {
  [Gate.Policy]: 'release policy',
  [Gate.Migration]: 'migration',
  [Gate.SmokeTests]: 'smoke test',
  [Gate.Freeze]: 'freeze',
  [Gate.Approval]: 'approval',
};

function gateError(gate: GateValue, error: ReleaseState['error']): string {
  if (error?.Error === ReleaseErrorName.ReleaseAborted) return ReleaseErrorName.ReleaseAborted;
  // The policy gate fails for more than one reason (a freeze that refuses, invalid settings, a fault): say which.
  if (gate === Gate.Policy && error !== undefined) return error.Error;
  return GATE_ERROR[gate];
}

async function gateCause(state: ReleaseState, gate: GateValue, ports: GateFailedPorts, now: Date): Promise<string> {
  const { error } = state;
  if (gate === Gate.Migration && error?.Error === 'States.Timeout') {
    const timeoutSeconds = state.release.migration?.timeoutSeconds;
    const reason = `the migration did not finish within its timeout of ${timeoutSeconds ?? '?'} s`;
    return (await stopMigration(state.release, MigrationPhase.Pre, { ecs: ports.ecs, store: ports.migrations }, now, reason)) ?? reason;
  }
  if (gate === Gate.Approval && error?.Error === 'States.Timeout') {
    return `no approval within ${state.policy?.approvalTimeoutSeconds ?? '?'} s: rejected`;
  }
  // Any other end of the wait (a Lambda error after its retries): a task of this run may still be running.
  if (gate === Gate.Migration) await stopMigration(state.release, MigrationPhase.Pre, { ecs: ports.ecs, store: ports.migrations }, now, `the release failed: ${describeCause(error)}`);
  return describeCause(error);
}

/**
 * The GateFailed state: a gate (release policy, freeze, approval, migration, smoke tests) failed, or an operator
 * aborted a release parked at the freeze or approval gate, before any production traffic moved. Stops a migration task
 * that is still running, points the test listener back where it was, scales the idle colour to 0, records the
 * release as Failed with the gate and its cause, and releases the lock. It never touches the production rule.
 * Safe to repeat: a release already recorded as Failed is reported as it was recorded.
 */
export async function gateFailed(state: ReleaseState, ports: GateFailedPorts, now: Date): Promise<GateFailedResult> {
  const { release } = state;
  const gate = state.gate?.name ?? Gate.Migration;
  const error = gateError(gate, state.error);
  const recorded = await ports.store.getLedgerRecord(release.environment, release.service, release.ledgerSortKey);
  if (recorded?.outcome === ReleaseOutcome.Failed) return { error, cause: recorded.cause ?? `${GATE_LABEL[gate]} gate failed` };

  const what = error === ReleaseErrorName.ReleaseAborted ? `aborted at the ${GATE_LABEL[gate]} gate` : `${GATE_LABEL[gate]} gate failed`;
  const cause = truncateCause(`${what}, no traffic moved: ${await gateCause(state, gate, ports, now)}`);
  if (state.testListener !== undefined) {
    const { ruleArn, previousTargetGroups, stickiness, layout } = state.testListener;
    if (previousTargetGroups.length > 0) await ports.loadBalancer.setForwardWeights(ruleArn, previousTargetGroups, stickiness, layout);
  }
  await ports.ecs.updateService(release.cluster, release.idle.serviceName, { desiredCount: 0 });
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
  return { error, cause };
}
