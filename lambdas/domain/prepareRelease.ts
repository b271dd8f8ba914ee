import { ConcurrentReleaseError, InvalidReleaseInput, InvalidServiceConfig, ReleaseQueued, ReleaseSuperseded } from './errors.ts';
import { assertPlanFitsExecution } from './assertPlanFitsExecution.ts';
import { describeReleasePlan, type ReleasePlan } from './describeReleasePlan.ts';
import { imageUriFor } from './imageUriFor.ts';
import { liveColorFromRule } from './liveColorFromRule.ts';
import { pinnedImageOf, type PinnedImage } from './pinnedImageOf.ts';
import { parseExecutionArn } from './parseExecutionArn.ts';
import { planTraffic } from './planTraffic.ts';
import type {
  AlarmPort,
  EcrPort,
  EcsPort,
  EcsServiceView,
  ExecutionPort,
  LedgerRecord,
  LoadBalancerPort,
  LockRecord,
  ParameterPort,
  ReleaseStorePort,
} from './ports.ts';
import { parseReleaseInput, type ReleaseInput, type RollbackTarget } from './releaseInput.ts';
import { Color, ReleaseOutcome, type ColorSide, type ColorValue, type PrepareEvent, type ReleaseContext, type RollbackContext } from './releaseState.ts';
import { resolveImageDigest } from './resolveImageDigest.ts';
import { OnBusy, parseServiceConfig, serviceConfigParameterName, type OnBusyValue, type ServiceConfig, type StrategyStep } from './serviceConfig.ts';

/** A rollback is all at once: one step to 100 %, then the usual warm period of the old colour. */
export const ROLLBACK_STEPS: readonly StrategyStep[] = [{ setWeight: 100 }];

/** The family of a task definition revision ARN (`…:task-definition/<family>:<revision>`). */
function familyOf(taskDefinitionArn: string): string | undefined {
  return /:task-definition\/([^:]+):\d+$/.exec(taskDefinitionArn)?.[1];
}

/**
 * The image of the task definition a rollback goes back to: it must exist (DescribeTaskDefinition), be ACTIVE and pin
 * the service's container by digest.
 */
async function rollbackImage(target: RollbackTarget, config: ServiceConfig, ecs: EcsPort): Promise<PinnedImage> {
  let record;
  try {
    record = await ecs.describeTaskDefinition(target.taskDefinitionArn);
  } catch (error) {
    // ECS answers a task definition that does not exist with a ClientException.
    if ((error as Error).name === 'ClientException') {
      throw new InvalidReleaseInput(`rollbackTo.taskDefinitionArn: no task definition ${target.taskDefinitionArn}`, { cause: error });
    }
    throw error;
  }
  return pinnedImageOf(record, config.containerName, target.taskDefinitionArn);
}

/** A rollback runs the service's own task definition family again, never another one. */
function assertSameFamily(target: RollbackTarget, stable: ColorSide): void {
  const family = familyOf(target.taskDefinitionArn);
  if (family !== familyOf(stable.taskDefinitionArn)) {
    throw new InvalidReleaseInput(
      `rollbackTo.taskDefinitionArn: ${target.taskDefinitionArn} is of family ${family ?? 'unknown'}, but ${stable.serviceName} runs ${stable.taskDefinitionArn}`,
    );
  }
}

function rollbackContextOf(target: RollbackTarget): RollbackContext {
  return {
    taskDefinitionArn: target.taskDefinitionArn,
    fromReleaseId: target.fromReleaseId,
    ...(target.rollbackOf === undefined ? {} : { rollbackOf: target.rollbackOf }),
    ...(target.reason === undefined ? {} : { reason: target.reason }),
  };
}

/** The AWS services Prepare reads, and the store it takes the lock in. */
export interface PrepareReleasePorts {
  readonly parameters: ParameterPort;
  readonly loadBalancer: LoadBalancerPort;
  readonly ecs: EcsPort;
  readonly alarms: AlarmPort;
  readonly store: ReleaseStorePort;
  readonly executions: ExecutionPort;
  /** Resolves a tag to its digest. */
  readonly ecr: EcrPort;
}

/** Settings of the control plane that runs Prepare. */
export interface PrepareReleaseOptions {
  /** The environment this control plane releases into; a request for another one is refused. @default any */
  readonly controlPlaneEnvironment?: string;
}

/** Execution statuses in which a lock holder may still act on the service. */
const LIVE_EXECUTION_STATUSES: ReadonlySet<string> = new Set(['RUNNING', 'PENDING_REDRIVE']);

async function loadServiceConfig(input: ReleaseInput, parameters: ParameterPort): Promise<ServiceConfig> {
  const name = serviceConfigParameterName(input.environment, input.service);
  const text = await parameters.getParameter(name);
  if (text === undefined) throw new InvalidServiceConfig(`no configuration at ${name}`);
  return parseServiceConfig(name, text);
}

async function findLiveColor(config: ServiceConfig, loadBalancer: LoadBalancerPort) {
  const rule = await loadBalancer.describeRule(config.productionListenerRuleArn);
  if (rule === undefined) {
    throw new InvalidServiceConfig(`productionListenerRuleArn: rule ${config.productionListenerRuleArn} does not exist`);
  }
  return { rule, liveColor: liveColorFromRule(rule, config.blue.targetGroupArn, config.green.targetGroupArn) };
}

async function describeColors(config: ServiceConfig, ecs: EcsPort): Promise<Record<ColorValue, EcsServiceView>> {
  let services: ReadonlyMap<string, EcsServiceView>;
  try {
    services = await ecs.describeServices(config.cluster, [config.blue.serviceName, config.green.serviceName]);
  } catch (error) {
    if ((error as Error).name === 'ClusterNotFoundException') {
      throw new InvalidServiceConfig(`cluster: ${config.cluster} does not exist`, { cause: error });
    }
    throw error;
  }
  const find = (color: ColorValue): EcsServiceView => {
    const { serviceName } = config[color];
    const service = services.get(serviceName);
    // A deleted service is reported INACTIVE for a while rather than MISSING.
    if (service === undefined || service.status !== 'ACTIVE') {
      throw new InvalidServiceConfig(`${color}.serviceName: no active service ${serviceName} in cluster ${config.cluster}`);
    }
    return service;
  };
  return { blue: find(Color.Blue), green: find(Color.Green) };
}

async function checkAlarmsExist(alarmNames: readonly string[], alarms: AlarmPort): Promise<void> {
  const found = new Set((await alarms.describeAlarms(alarmNames)).map((alarm) => alarm.alarmName));
  const missing = alarmNames.filter((name) => !found.has(name));
  if (missing.length > 0) {
    throw new InvalidServiceConfig(`alarmNames: no metric or composite alarm named ${missing.join(', ')}`);
  }
}

function colorSide(color: ColorValue, config: ServiceConfig, service: EcsServiceView): ColorSide {
  return {
    color,
    serviceName: config[color].serviceName,
    targetGroupArn: config[color].targetGroupArn,
    taskDefinitionArn: service.taskDefinition,
    desiredCount: service.desiredCount,
  };
}

function lockAndLedger(release: ReleaseContext, now: Date): { lock: LockRecord; ledger: LedgerRecord } {
  const lock: LockRecord = {
    service: release.service,
    environment: release.environment,
    releaseId: release.releaseId,
    executionArn: release.executionArn,
    acquiredAt: now.toISOString(),
  };
  const ledger: LedgerRecord = {
    releaseId: release.releaseId,
    executionArn: release.executionArn,
    service: release.service,
    environment: release.environment,
    imageRepository: release.image.repository,
    imageDigest: release.image.digest,
    imageUri: release.image.imageUri,
    fromColor: release.stable.color,
    toColor: release.idle.color,
    fromTaskDefinition: release.stable.taskDefinitionArn,
    requestedBy: release.requestedBy,
    outcome: ReleaseOutcome.InProgress,
    startedAt: release.startedAt,
    ...(release.rollback === undefined
      ? {}
      : {
          kind: 'rollback' as const,
          ...(release.rollback.rollbackOf === undefined ? {} : { rollbackOf: release.rollback.rollbackOf }),
          rollbackTo: { releaseId: release.rollback.fromReleaseId, taskDefinitionArn: release.rollback.taskDefinitionArn },
          ...(release.rollback.reason === undefined ? {} : { reason: release.rollback.reason }),
        }),
    ...(release.promotedFrom === undefined ? {} : { promotedFrom: release.promotedFrom }),
  };
  return { lock, ledger };
}

function concurrentRelease(release: ReleaseTarget, holder: LockRecord): ConcurrentReleaseError {
  return new ConcurrentReleaseError(
    `${release.environment}/${release.service} is being released by ${holder.releaseId} (execution ${holder.executionArn}); wait for it to end or stop it`,
  );
}

function busy(release: ReleaseTarget, holder: LockRecord, onBusy: OnBusyValue): ConcurrentReleaseError | ReleaseQueued {
  if (onBusy === OnBusy.Reject) return concurrentRelease(release, holder);
  return new ReleaseQueued(
    `${release.environment}/${release.service} is being released by ${holder.releaseId} (execution ${holder.executionArn}); queued (onBusy: queue), Prepare retries until the lock is free`,
  );
}

/** The service and environment a release is for. */
type ReleaseTarget = Pick<ReleaseContext, 'environment' | 'service'>;

/**
 * While a running execution holds the service's lock, this release is busy before it reads anything else: the holder
 * may be mid-canary, with traffic split, which would otherwise be refused as TrafficNotSettled and lose a queued image.
 * A holder that is no longer running is taken over later, in {@link acquireLock}.
 */
async function refuseIfBusy(target: ReleaseTarget, executionArn: string, ports: PrepareReleasePorts, onBusy: OnBusyValue): Promise<void> {
  const holder = await ports.store.getLock(target.environment, target.service);
  if (holder === undefined || holder.executionArn === executionArn) return;
  const status = await ports.executions.describeExecutionStatus(holder.executionArn);
  if (status !== undefined && LIVE_EXECUTION_STATUSES.has(status)) throw busy(target, holder, onBusy);
}

/**
 * A queued release must not overwrite a newer one: when a release of the service that started after this execution
 * already took the lock (the ledger records it), this older request is superseded.
 */
async function refuseIfSuperseded(release: ReleaseContext, store: ReleaseStorePort): Promise<void> {
  const [newest] = await store.listReleases(release.environment, release.service, 1);
  if (newest === undefined || newest.executionArn === release.executionArn) return;
  if (Date.parse(newest.startedAt) > Date.parse(release.startedAt)) {
    throw new ReleaseSuperseded(
      `${release.environment}/${release.service}: release ${newest.releaseId} (image ${newest.imageDigest}) was requested at ${newest.startedAt}, after this one (${release.startedAt}); not releasing the older request`,
    );
  }
}

async function acquireLock(release: ReleaseContext, ports: PrepareReleasePorts, onBusy: OnBusyValue, now: Date): Promise<void> {
  await refuseIfSuperseded(release, ports.store);
  const { lock, ledger } = lockAndLedger(release, now);
  const attempt = await ports.store.acquireLock(lock, ledger);
  if (attempt.acquired || attempt.holder.executionArn === release.executionArn) return;
  const status = await ports.executions.describeExecutionStatus(attempt.holder.executionArn);
  if (status !== undefined && LIVE_EXECUTION_STATUSES.has(status)) throw busy(release, attempt.holder, onBusy);
  // The holder ended without releasing its lock (e.g. stopped by hand): take over from exactly that holder, once.
  const takeOver = await ports.store.acquireLock(lock, ledger, attempt.holder.executionArn);
  if (!takeOver.acquired && takeOver.holder.executionArn !== release.executionArn) throw busy(release, takeOver.holder, onBusy);
}

/**
 * The Prepare state: validates the request and the service's configuration against the live resources, fixes them in a
 * {@link ReleaseContext} (a tag resolved to its digest first), and only then takes the service's lock and opens its ledger record. Everything before the
 * lock only reads, so a rejected release changes nothing in AWS. A lock held by a running release throws
 * {@link ReleaseQueued} (onBusy `queue`: the state machine retries) or {@link ConcurrentReleaseError} (onBusy `reject`).
 * A dry run (`dryRun: true`) validates the same way, takes no lock, writes nothing and returns the plan as well.
 */
export async function prepareRelease(
  event: PrepareEvent,
  ports: PrepareReleasePorts,
  now: Date,
  options: PrepareReleaseOptions = {},
): Promise<{ release: ReleaseContext; plan?: ReleasePlan }> {
  const input = parseReleaseInput(event.input);
  if (options.controlPlaneEnvironment !== undefined && input.environment !== options.controlPlaneEnvironment) {
    throw new InvalidReleaseInput(
      `environment: this control plane releases into ${options.controlPlaneEnvironment}, not ${input.environment}; start the release in the ${input.environment} control plane`,
    );
  }
  const location = parseExecutionArn(event.executionArn);
  // Before anything else reads AWS: from here on the release is pinned to one digest.
  const digest = input.image === undefined ? undefined : await resolveImageDigest(input.image, ports.ecr);
  const config = await loadServiceConfig(input, ports.parameters);
  const { rollbackTo } = input;
  const image =
    input.image !== undefined && digest !== undefined
      ? { repository: input.image.repository, digest, imageUri: imageUriFor(input.image.repository, digest, location) }
      : await rollbackImage(rollbackTo as RollbackTarget, config, ports.ecs);
  const steps = rollbackTo === undefined ? (input.strategy?.steps ?? config.strategy.steps) : ROLLBACK_STEPS;
  const plan = planTraffic(steps, config.terminationWaitSeconds);
  assertPlanFitsExecution(plan, config.maxManualPauseSeconds, config.readyTimeoutSeconds);
  // A rollback never queues: by the time the lock is free it would undo whatever released after it.
  const onBusy = rollbackTo === undefined ? config.onBusy : OnBusy.Reject;
  if (input.dryRun !== true) await refuseIfBusy(input, event.executionArn, ports, onBusy);

  const { rule, liveColor } = await findLiveColor(config, ports.loadBalancer);
  const idleColor: ColorValue = liveColor === Color.Blue ? Color.Green : Color.Blue;
  const services = await describeColors(config, ports.ecs);
  const stable = colorSide(liveColor, config, services[liveColor]);
  if (rollbackTo !== undefined) assertSameFamily(rollbackTo, stable);
  if (stable.desiredCount < 1) {
    throw new InvalidServiceConfig(`${liveColor}.serviceName: the live service ${stable.serviceName} has desiredCount ${stable.desiredCount}; it must run at least 1 task`);
  }
  await checkAlarmsExist(config.alarmNames, ports.alarms);

  const release: ReleaseContext = {
    releaseId: event.executionName,
    executionArn: event.executionArn,
    service: input.service,
    environment: input.environment,
    image,
    requestedBy: input.requestedBy,
    startedAt: event.startTime,
    ledgerSortKey: `${event.startTime}#${event.executionName}`,
    cluster: config.cluster,
    containerName: config.containerName,
    stable,
    idle: colorSide(idleColor, config, services[idleColor]),
    productionListenerRuleArn: config.productionListenerRuleArn,
    ...(rule.stickiness === undefined ? {} : { stickiness: rule.stickiness }),
    ...(rule.layout === undefined ? {} : { ruleLayout: rule.layout }),
    alarmNames: [...config.alarmNames],
    steps,
    plan,
    readyTimeoutSeconds: config.readyTimeoutSeconds,
    maxManualPauseSeconds: config.maxManualPauseSeconds,
    ...(config.testListenerRuleArn === undefined ? {} : { testListenerRuleArn: config.testListenerRuleArn }),
    // A rollback skips the gates: its image already passed them (and ran its migrations) when it was released.
    ...(config.migration === undefined || rollbackTo !== undefined ? {} : { migration: config.migration }),
    ...(config.postPromotionMigration === undefined || rollbackTo !== undefined ? {} : { postPromotionMigration: config.postPromotionMigration }),
    ...(config.smokeTests === undefined || rollbackTo !== undefined ? {} : { smokeTests: config.smokeTests }),
    ...(rollbackTo === undefined ? {} : { rollback: rollbackContextOf(rollbackTo) }),
    ...(input.promotedFrom === undefined ? {} : { promotedFrom: input.promotedFrom, promotion: config.promotion }),
  };
  if (input.dryRun === true) {
    // Everything above only read; a dry run stops here and reports the lock instead of taking it.
    return { release: { ...release, dryRun: true }, plan: describeReleasePlan(release, await ports.store.getLock(release.environment, release.service)) };
  }
  await acquireLock(release, ports, onBusy, now);
  return { release };
}
