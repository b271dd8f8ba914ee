import type { ColorValue, ReleaseOutcomeValue } from './releaseState.ts';

/**
 * What the domain needs from AWS, as interfaces. `lambdas/adapters/` implements each with one SDK client;
 * domain tests use in-memory fakes. Adapters translate AWS "not found" errors into `undefined` or the
 * documented result, and let every other AWS error through unchanged (its name is what the state machine retries on).
 */

/** SSM Parameter Store. */
export interface ParameterPort {
  /** The parameter's value, or `undefined` when it does not exist. */
  getParameter(name: string): Promise<string | undefined>;
}

/** SSM Parameter Store, listing a path. */
export interface ParameterListPort {
  /**
   * The parameters directly under `path` (not recursive), by full name. The result may come from a short-lived cache,
   * so a parameter changed a moment ago may be seen a little later.
   */
  getParametersByPath(path: string): Promise<ReadonlyMap<string, string>>;
}

/** Where an ECR repository is: its registry (account) and region when they are not the caller's own. */
export interface EcrRepositoryLocation {
  readonly repositoryName: string;
  /** The registry's account id. @default the caller's account */
  readonly registryId?: string;
  /** @default the caller's region */
  readonly region?: string;
}

/** Amazon ECR. */
export interface EcrPort {
  /**
   * The digest of the image tagged `tag`, or `undefined` when the repository has no such tag (ImageNotFoundException).
   * Throws the AWS error when the repository does not exist (RepositoryNotFoundException).
   */
  findImageDigest(repository: EcrRepositoryLocation, tag: string): Promise<string | undefined>;
}

/** The result of starting an execution: started now, or an execution of that name already existed. */
export type StartExecutionResult =
  | { readonly started: true; readonly executionArn: string }
  | { readonly started: false; readonly executionArn: string };

/** AWS Step Functions, starting executions. */
export interface ExecutionStarterPort {
  /**
   * Starts an execution named `name`. An execution of that name that already exists (ExecutionAlreadyExists, or the
   * idempotent answer for a running one with the same input) is the documented "already started" result, not an error.
   */
  startExecution(stateMachineArn: string, name: string, input: Record<string, unknown>): Promise<StartExecutionResult>;
}

/** One target group in a forward action, with its weight. */
export interface WeightedTargetGroup {
  readonly targetGroupArn: string;
  readonly weight: number;
}

/**
 * What a weight change keeps of a rule's actions besides the forward: the actions before it (authenticate-oidc,
 * authenticate-cognito), as ELBv2 returns them, and the forward action's `Order`.
 */
export interface RuleActionLayout {
  readonly otherActions: readonly Record<string, unknown>[];
  readonly forwardOrder?: number;
}

/** The production (or test) listener rule, as far as cutover cares. */
export interface ListenerRuleView {
  readonly ruleArn: string;
  /** True for a listener's default rule, which ModifyRule cannot change (only ModifyListener can). */
  readonly isDefault?: boolean;
  /** The target groups of the rule's forward action (a plain `TargetGroupArn` forward counts as weight 100). Empty when the rule has no forward action. */
  readonly targetGroups: readonly WeightedTargetGroup[];
  /** Target group stickiness of the forward action, when set. */
  readonly stickiness?: { readonly enabled: boolean; readonly durationSeconds?: number };
  /** The rule's other actions and the forward's order, when it has other actions. */
  readonly layout?: RuleActionLayout;
}

/** The health of one registered target. */
export interface TargetHealthView {
  readonly id: string;
  readonly port?: number;
  /** ELBv2 target health state: initial | healthy | unhealthy | unused | draining | unavailable | unhealthy.draining. */
  readonly state: string;
  readonly reason?: string;
}

/** Elastic Load Balancing v2. */
export interface LoadBalancerPort {
  /** The rule, or `undefined` when it does not exist (RuleNotFoundException). */
  describeRule(ruleArn: string): Promise<ListenerRuleView | undefined>;
  /**
   * Sets the weights of the rule's forward action atomically (one ModifyRule), keeping its stickiness and, when
   * `layout` is given, the rule's other actions in their order.
   */
  setForwardWeights(
    ruleArn: string,
    targetGroups: readonly WeightedTargetGroup[],
    stickiness?: { readonly enabled: boolean; readonly durationSeconds?: number },
    layout?: RuleActionLayout,
  ): Promise<void>;
  /** The health of every target registered in the target group. */
  describeTargetHealth(targetGroupArn: string): Promise<readonly TargetHealthView[]>;
}

/** One ECS deployment of a service. */
export interface DeploymentView {
  readonly id: string;
  /** PRIMARY | ACTIVE | INACTIVE */
  readonly status: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  /** IN_PROGRESS | COMPLETED | FAILED (absent for services without the rolling deployment circuit breaker info). */
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
}

/** An ECS service, as far as cutover cares. */
export interface EcsServiceView {
  readonly serviceName: string;
  readonly serviceArn: string;
  /** ACTIVE | DRAINING | INACTIVE */
  readonly status: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly deployments: readonly DeploymentView[];
  /** How the service launches its tasks, when ECS reports any of it: a one-off task copies it. */
  readonly launch?: ServiceLaunchSettings;
}

/** How a service launches its tasks: what a one-off task in the same place needs. */
export interface ServiceLaunchSettings {
  /** FARGATE | EC2 | EXTERNAL, absent when the service uses a capacity provider strategy. */
  readonly launchType?: string;
  readonly capacityProviderStrategy?: readonly { readonly capacityProvider: string; readonly weight?: number; readonly base?: number }[];
  readonly platformVersion?: string;
  /** The awsvpc network configuration. */
  readonly network?: { readonly subnets: readonly string[]; readonly securityGroups: readonly string[]; readonly assignPublicIp?: string };
}

/** A one-off ECS task to start. */
export interface RunTaskRequest {
  readonly cluster: string;
  readonly taskDefinitionArn: string;
  readonly containerName: string;
  readonly command: readonly string[];
  /** Marks the task so that its STOPPED event finds its way back (the EventBridge rule matches the prefix). */
  readonly startedBy: string;
  readonly launch: ServiceLaunchSettings;
}

/** The result of RunTask: a task, or why ECS placed none. */
export type RunTaskResult = { readonly taskArn: string } | { readonly failure: string };

/** Amazon ECS one-off tasks. */
export interface EcsTaskPort {
  runTask(request: RunTaskRequest): Promise<RunTaskResult>;
  /** The ARNs of the cluster's tasks started with `startedBy` that have not stopped. */
  listRunningTasks(cluster: string, startedBy: string): Promise<readonly string[]>;
  /** Stops a task; a task that is already gone is not an error. */
  stopTask(cluster: string, taskArn: string, reason: string): Promise<void>;
}

/**
 * A task definition as DescribeTaskDefinition returns it (with its tags), kept as an opaque record so that
 * registering it again preserves every field cutover does not know about.
 */
export interface TaskDefinitionRecord {
  readonly taskDefinition: Record<string, unknown>;
  readonly tags?: readonly { readonly key?: string; readonly value?: string }[];
}

/** Amazon ECS. */
export interface EcsPort {
  /** The services found, by name; a name ECS reports as MISSING is absent from the map. Throws the AWS error when the cluster does not exist. */
  describeServices(cluster: string, serviceNames: readonly string[]): Promise<ReadonlyMap<string, EcsServiceView>>;
  describeTaskDefinition(taskDefinitionArn: string): Promise<TaskDefinitionRecord>;
  /** Registers a revision from a RegisterTaskDefinition request body; returns the new revision's ARN. */
  registerTaskDefinition(request: Record<string, unknown>): Promise<string>;
  /** Sets the service's task definition and desired count (either may be omitted). */
  updateService(cluster: string, serviceName: string, update: { readonly taskDefinition?: string; readonly desiredCount: number }): Promise<void>;
}

/** The state of one CloudWatch alarm. */
export interface AlarmStateView {
  readonly alarmName: string;
  /** OK | ALARM | INSUFFICIENT_DATA */
  readonly stateValue: string;
  readonly stateReason?: string;
}

/** Amazon CloudWatch. */
export interface AlarmPort {
  /** The state of each named alarm that exists (metric or composite); names that do not exist are absent. */
  describeAlarms(alarmNames: readonly string[]): Promise<readonly AlarmStateView[]>;
}

/** AWS Step Functions. */
export interface ExecutionPort {
  /** RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED | PENDING_REDRIVE, or `undefined` when the execution does not exist. */
  describeExecutionStatus(executionArn: string): Promise<string | undefined>;
  /** Fails a waiting task. Returns false when the token is no longer waiting (TaskDoesNotExist, TaskTimedOut, InvalidToken). */
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean>;
  /** Succeeds a waiting task. Returns false when the token is no longer waiting. */
  sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<boolean>;
}

/** The per-service release lock. */
export interface LockRecord {
  readonly service: string;
  readonly environment: string;
  readonly releaseId: string;
  readonly executionArn: string;
  readonly acquiredAt: string;
  /** Where the holder is parked, waiting for a freeze to end or for an approval: the task token `abort` fails. */
  readonly gate?: ParkedGate;
}

/** A release parked at the freeze or approval gate, stored on the lock it holds (the lock goes with the release). */
export interface ParkedGate {
  readonly name: 'freeze' | 'approval';
  readonly taskToken: string;
  readonly since: string;
  /** When the wait ends on its own: the freeze's end, or the approval's timeout (ISO 8601). */
  readonly until: string;
  /** Why it waits: the freeze windows or dates, or why an approval is required. */
  readonly reason?: string;
}

/** Parks a release at a gate. */
export interface GateParkingPort {
  /** Stores the gate on the lock if `executionArn` still holds it; false when it does not. */
  parkAtGate(environment: string, service: string, executionArn: string, gate: ParkedGate): Promise<boolean>;
}

/** An operator's action on a running release, kept in the release's ledger record. */
export interface OperatorActionRecord {
  readonly action: 'promote';
  /** Who asked: a CLI `--by` name or `slack:<user id> (<name>)`. */
  readonly actor: string;
  /** When (ISO 8601). */
  readonly at: string;
  /** The weight the release was baking at. */
  readonly weight: number;
  readonly reason?: string;
}

/** One release in the ledger. */
export interface LedgerRecord {
  readonly releaseId: string;
  readonly executionArn: string;
  readonly service: string;
  readonly environment: string;
  readonly imageRepository: string;
  readonly imageDigest: string;
  readonly imageUri: string;
  readonly fromColor: ColorValue;
  readonly toColor: ColorValue;
  readonly fromTaskDefinition: string;
  readonly toTaskDefinition?: string;
  readonly requestedBy: string;
  readonly outcome: ReleaseOutcomeValue;
  readonly cause?: string;
  readonly startedAt: string;
  readonly endedAt?: string;
  /** `rollback` for a release of an earlier release's task definition; absent for an ordinary release. */
  readonly kind?: 'rollback';
  /** A rollback: the release it rolled back, when known. */
  readonly rollbackOf?: string;
  /** A rollback: the earlier release whose task definition it runs again. */
  readonly rollbackTo?: { readonly releaseId: string; readonly taskDefinitionArn: string };
  /** A rollback: why, as the asker said it. */
  readonly reason?: string;
  /** A promotion: the environment and release the same digest succeeded in before. */
  readonly promotedFrom?: { readonly environment: string; readonly releaseId: string };
  /** The approval decision, when the release waited for one (written by cutover approve|reject). */
  readonly approval?: { readonly decision: 'approved' | 'rejected'; readonly decidedBy: string; readonly decidedAt: string; readonly reason?: string };
  /**
   * The release's `postPromotionMigration` (contract), when it got that far: a release that has one must not be
   * rolled back past it (docs/migrations.md), so the rollback target choice refuses unless forced.
   */
  readonly postPromotionMigration?: PostPromotionMigrationRecord;
  /** Operator actions on the running release (promotions), in order. */
  readonly actions?: readonly OperatorActionRecord[];
}

/** How a release's contract migration ended, as the ledger records it. */
export interface PostPromotionMigrationRecord {
  /** `Succeeded` (ran in this release), `Skipped` (it already succeeded for this digest), `Failed` (it may have half-run). */
  readonly outcome: 'Succeeded' | 'Skipped' | 'Failed';
  /** The release it succeeded in (this one, or an earlier release of the same digest). */
  readonly releaseId?: string;
  readonly taskArn?: string;
  readonly exitCode?: number;
}

/** A task token waiting on a bake. */
export interface BakeTokenRecord {
  readonly service: string;
  readonly environment: string;
  readonly releaseId: string;
  readonly executionArn: string;
  readonly stepIndex: number;
  readonly weight: number;
  readonly manual: boolean;
  readonly taskToken: string;
  readonly startedAt: string;
  /** When the bake times out (ISO 8601). */
  readonly endsAt: string;
}

/** The result of trying to take a lock. */
export type LockAttempt =
  | { readonly acquired: true }
  | { readonly acquired: false; readonly holder: LockRecord };

/**
 * The cutover DynamoDB table: locks, ledger and bake tokens.
 * Layout (pk / sk): `LOCK#<env>#<service>` / `LOCK`; `RELEASE#<env>#<service>` / `<startedAt>#<releaseId>`;
 * `ALARM#<alarmName>` / `TOKEN#<releaseId>#<stepIndex>`; `BAKE#<env>#<service>` / `CURRENT`. TTL attribute: `expiresAt`.
 */
export interface ReleaseStorePort {
  /**
   * Takes the lock and writes the ledger record (outcome InProgress) in one transaction. Succeeds when the lock is free,
   * already held by the same execution (a retried Prepare), or held by `takeOverFrom` (an execution known to have ended).
   */
  acquireLock(lock: LockRecord, ledger: LedgerRecord, takeOverFrom?: string): Promise<LockAttempt>;
  /** The lock of a service, if held. */
  getLock(environment: string, service: string): Promise<LockRecord | undefined>;
  /**
   * Ends a release in one transaction: sets the ledger record's outcome, cause, endedAt (and toTaskDefinition and
   * postPromotionMigration when given),
   * deletes the lock if this execution still holds it, and deletes the service's current bake record if it belongs to this release.
   */
  completeRelease(update: {
    readonly environment: string;
    readonly service: string;
    readonly ledgerSortKey: string;
    readonly executionArn: string;
    readonly releaseId: string;
    readonly outcome: ReleaseOutcomeValue;
    readonly cause?: string;
    readonly endedAt: string;
    readonly toTaskDefinition?: string;
    /** Set when the release reached its contract migration. */
    readonly postPromotionMigration?: PostPromotionMigrationRecord;
  }): Promise<void>;
  /** The ledger record, if any. */
  getLedgerRecord(environment: string, service: string, ledgerSortKey: string): Promise<LedgerRecord | undefined>;
  /** Appends an operator action to a release's ledger record (`actions`); the record must exist. */
  recordOperatorAction(environment: string, service: string, ledgerSortKey: string, action: OperatorActionRecord): Promise<void>;
  /** The newest ledger records of a service, newest first. */
  listReleases(environment: string, service: string, limit: number): Promise<readonly LedgerRecord[]>;
  /** Registers a waiting bake under each alarm name and as the service's current bake; items expire `ttlSeconds` after `endsAt`. */
  registerBake(token: BakeTokenRecord, alarmNames: readonly string[], ttlSeconds: number): Promise<void>;
  /** The waiting bake tokens registered under an alarm name. */
  bakesForAlarm(alarmName: string): Promise<readonly (BakeTokenRecord & { readonly sk: string })[]>;
  /** Deletes one alarm registration. */
  deleteAlarmRegistration(alarmName: string, sk: string): Promise<void>;
  /** The service's current bake, if one was registered and not cleared. */
  getCurrentBake(environment: string, service: string): Promise<BakeTokenRecord | undefined>;
}

/** Status of a migration of one digest in one environment. */
export const MigrationStatus = { Running: 'Running', Succeeded: 'Succeeded', Failed: 'Failed' } as const;
/** A migration status. */
export type MigrationStatusValue = (typeof MigrationStatus)[keyof typeof MigrationStatus];

/** Identifies a migration: at most one success per phase, image digest, service and environment. */
export interface MigrationKey {
  readonly environment: string;
  readonly service: string;
  readonly digest: string;
  /** `pre` or `post`. */
  readonly phase: string;
}

/** A migration of one digest, as the table records it. */
export interface MigrationRecord extends MigrationKey {
  readonly status: MigrationStatusValue;
  /** The run's id: the task is started with `startedBy` {@link migrationStartedBy}(runId). */
  readonly runId: string;
  readonly releaseId: string;
  readonly cluster: string;
  readonly containerName: string;
  readonly startedAt: string;
  readonly taskArn?: string;
  /** The container's awslogs group and stream prefix, when it logs to CloudWatch Logs. */
  readonly logGroup?: string;
  readonly logStreamPrefix?: string;
  readonly exitCode?: number;
  readonly cause?: string;
  readonly endedAt?: string;
}

/** The task token waiting on a migration run. */
export interface MigrationRunRecord extends MigrationKey {
  readonly runId: string;
  readonly taskToken: string;
  readonly releaseId: string;
  readonly executionArn: string;
  readonly containerName: string;
  readonly logGroup?: string;
  readonly logStreamPrefix?: string;
  /** When the task times out (ISO 8601). */
  readonly endsAt: string;
}

/**
 * The migration records of the cutover table. Layout (pk / sk): `MIGRATION#<env>#<service>#<digest>` / `<phase>`;
 * `MIGRATIONRUN#<runId>` / `TOKEN` (TTL `expiresAt`).
 */
export interface MigrationStorePort {
  getMigration(key: MigrationKey): Promise<MigrationRecord | undefined>;
  /**
   * Records a Running migration and its waiting token in one transaction, before the task starts. Fails with
   * `MigrationAlreadySucceeded` when the record says Succeeded (a concurrent success is never overwritten).
   */
  startMigration(record: MigrationRecord, run: MigrationRunRecord, ttlSeconds: number): Promise<void>;
  /** Points an existing run at a new task token (a retried task of the same release). */
  attachMigrationToken(run: MigrationRunRecord, ttlSeconds: number): Promise<void>;
  /** Records the started task's ARN on the run's migration record. */
  setMigrationTask(key: MigrationKey, runId: string, taskArn: string): Promise<void>;
  /** Ends the run's migration record (if it still belongs to `runId` and is Running) and deletes the run's token record. */
  endMigration(
    key: MigrationKey,
    runId: string,
    end: { readonly status: MigrationStatusValue; readonly endedAt: string; readonly exitCode?: number; readonly cause?: string },
  ): Promise<void>;
  /** The run's token record, if it has not ended. */
  getMigrationRun(runId: string): Promise<MigrationRunRecord | undefined>;
}

/** An HTTP response, as far as a smoke test reads it. */
export interface HttpResponseView {
  readonly status: number;
  /** The start of the body (at most a few kilobytes). */
  readonly body: string;
}

/** HTTP requests (smoke tests). */
export interface HttpPort {
  /** Sends one request; rejects on a network error or when `timeoutMs` passes. */
  request(url: string, options: { readonly method: string; readonly timeoutMs: number }): Promise<HttpResponseView>;
}
