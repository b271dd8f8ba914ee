import { type EnvironmentSettings, OnFreeze, parseEnvironmentSettings } from '../lambdas/domain/environmentSettings.ts';

/**
 * The deployment settings of cutover, read from the CDK context key `cutover` (see cdk.json):
 *
 * ```json
 * "cutover": {
 *   "defaultEnvironment": "dev",
 *   "environments": {
 *     "dev": { "account": "123456789012", "region": "eu-west-1", "managedResources": { "clusterNames": ["apps"] } }
 *   }
 * }
 * ```
 *
 * `cdk synth` creates one stack per environment (`Cutover-<name>`); `-c environment=<name>` creates only that one.
 * `account` and `region` are optional: without them the stack is environment-agnostic.
 */

/**
 * Narrows the IAM resource patterns of the handlers to the resources cutover manages.
 * Every field is optional; the default matches any name, as a `*` segment inside the ARN (actions are never `*`).
 */
export interface ManagedResources {
  /** ECS clusters whose services cutover describes and updates. @default ['*'] */
  readonly clusterNames: readonly string[];
  /** Prefix of the names of the ECS services cutover releases (both colours). @default '' (any service) */
  readonly serviceNamePrefix: string;
  /** Prefix of the task definition families cutover registers revisions of. @default '' (any family) */
  readonly taskDefinitionFamilyPrefix: string;
  /** Prefix of the names of the Application Load Balancers whose listener rules cutover shifts. @default '' (any ALB) */
  readonly loadBalancerNamePrefix: string;
  /** Prefix of the names of the CloudWatch alarms cutover watches during bakes. @default '' (any alarm) */
  readonly alarmNamePrefix: string;
  /**
   * IAM role names (with path, wildcards allowed) that a registered task definition may use as task or execution role;
   * `iam:PassRole` is granted on these, only towards `ecs-tasks.amazonaws.com`. @default ['*']
   */
  readonly passRoleNames: readonly string[];
}

/** The settings of one cutover environment (one stack). */
export interface CutoverEnvironmentConfig {
  /** The environment's name: a segment of resource names and of the SSM path `/cutover/<environment>/services/`. */
  readonly environment: string;
  /** The AWS account to deploy to. @default - environment-agnostic */
  readonly account?: string;
  /** The AWS region to deploy to. @default - environment-agnostic */
  readonly region?: string;
  /** What the handlers may touch. */
  readonly managedResources: ManagedResources;
  /** cutover's own alarms. */
  readonly monitoring: MonitoringSettings;
  /** The release policy (approvals, freeze windows), written to `/cutover/<environment>/settings`. @default every default of the schema */
  readonly settings: EnvironmentSettings;
  /** The environment this one's successful releases are promoted to (same digest). @default - none */
  readonly promoteTo?: PromotionPeer;
  /** The environments that promote into this one: only they may put events on its promotion bus. @default [] */
  readonly promotedFrom: readonly PromotionPeer[];
}

/** Another environment at the other end of a promotion. */
export interface PromotionPeer {
  readonly environment: string;
  /** Its account. @default - this environment's account */
  readonly account?: string;
  /** Its region. @default - this environment's region */
  readonly region?: string;
}

/** Settings of cutover's own alarms (lib/ControlPlaneMonitoring.ts, docs/monitoring.md). */
export interface MonitoringSettings {
  /** Email addresses subscribed to the control plane alarm topic. @default [] */
  readonly alarmEmails: readonly string[];
  /**
   * Hours after which a held release lock raises the lock-held-too-long alarm. At least the time a release may
   * legitimately hold its lock while parked ({@link lockAgeBounds}) plus an hour; a smaller value is refused.
   * @default the parked time (freeze wait + approval timeout, where they apply) + 24 h for the release itself
   */
  readonly maxLockAgeHours: number;
}

/**
 * A release's own bound once past its gates (readiness wait, bakes, manual pauses at the default maxManualPauseSeconds
 * of 24 h), with its margin: the lock age default of an environment where releases never park.
 */
export const RELEASE_LOCK_HOURS = 24;

/** The least a release is given past its gates when `maxLockAgeHours` is set by hand. */
export const MIN_RELEASE_LOCK_HOURS = 1;

/** How long a release of an environment may legitimately hold its lock, in whole hours (docs/monitoring.md). */
export interface LockAgeBounds {
  /** At a freeze: `freeze.maxWaitSeconds` when the environment has windows or dates and `onFreeze` is `wait`, else 0. */
  readonly freezeWaitHours: number;
  /** Awaiting an approval: `approvalTimeoutSeconds` when one may be required (`requireApproval`, or promotions arrive and a service may ask for one), else 0. */
  readonly approvalHours: number;
  /** The smallest `maxLockAgeHours` accepted: freeze wait + approval + {@link MIN_RELEASE_LOCK_HOURS}. */
  readonly minimumHours: number;
  /** The default `maxLockAgeHours`: freeze wait + approval + {@link RELEASE_LOCK_HOURS}. */
  readonly defaultHours: number;
}

/**
 * The lock age bounds of an environment, from its release policy. The freeze gate refuses a release whose wait would end
 * later than `maxWaitSeconds` after it started, and an approval times out after `approvalTimeoutSeconds`: together they
 * bound how long a healthy release may sit parked holding its lock.
 */
export function lockAgeBounds(settings: EnvironmentSettings, promotedInto: boolean): LockAgeBounds {
  const { freeze } = settings;
  const freezes = (freeze.windows.length > 0 || freeze.dates.length > 0) && freeze.onFreeze === OnFreeze.Wait;
  const approves = settings.requireApproval || promotedInto;
  const parkedSeconds = (freezes ? freeze.maxWaitSeconds : 0) + (approves ? settings.approvalTimeoutSeconds : 0);
  const parkedHours = Math.ceil(parkedSeconds / 3600);
  return {
    freezeWaitHours: freezes ? Math.ceil(freeze.maxWaitSeconds / 3600) : 0,
    approvalHours: approves ? Math.ceil(settings.approvalTimeoutSeconds / 3600) : 0,
    minimumHours: parkedHours + MIN_RELEASE_LOCK_HOURS,
    defaultHours: parkedHours + RELEASE_LOCK_HOURS,
  };
}

/** The names other tools (operator CLI, runbooks) address cutover's resources by. */
export interface CutoverResourceNames {
  /** The DynamoDB table of locks, ledger and bake tokens. */
  readonly tableName: string;
  /** The release state machine. */
  readonly stateMachineName: string;
  /** The event bus on which the previous environment's successful releases arrive. */
  readonly promotionBusName: string;
}

/** The fixed names of an environment's resources. */
export function cutoverResourceNames(environment: string): CutoverResourceNames {
  return {
    tableName: `cutover-${environment}-releases`,
    stateMachineName: `cutover-${environment}-release`,
    promotionBusName: `cutover-${environment}-promotions`,
  };
}

/** The context key that holds the settings. */
export const CUTOVER_CONTEXT_KEY = 'cutover';
/** The context key that selects the environment (`-c environment=prod`). */
export const ENVIRONMENT_CONTEXT_KEY = 'environment';

const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,23}$/;
const ACCOUNT_PATTERN = /^\d{12}$/;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
const NAME_PATTERN = /^[A-Za-z0-9_.\-/*+=,@]*$/;

/** Thrown when the `cutover` context is missing or invalid; the message names the field. */
export class CutoverConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CutoverConfigError';
  }
}

/** Reads a context value; the shape of `tryGetContext` on any construct node. */
export type ContextReader = (key: string) => unknown;

/**
 * The settings of the selected environment, from the `cutover` and `environment` context values.
 * Throws {@link CutoverConfigError} when the selected environment is not configured or a field is invalid.
 */
export function readCutoverConfig(tryGetContext: ContextReader): CutoverEnvironmentConfig {
  const { root, environments } = readRoot(tryGetContext);
  const selected = tryGetContext(ENVIRONMENT_CONTEXT_KEY) ?? root['defaultEnvironment'];
  return readEnvironment(environments, selected);
}

/**
 * Every configured environment, in the order cdk.json lists them, or only the one selected with `-c environment`.
 * Throws {@link CutoverConfigError} when one is invalid.
 */
export function readCutoverEnvironments(tryGetContext: ContextReader): CutoverEnvironmentConfig[] {
  const { environments } = readRoot(tryGetContext);
  const selected = tryGetContext(ENVIRONMENT_CONTEXT_KEY);
  const all = Object.keys(environments).map((name) => readEnvironment(environments, name));
  return selected === undefined ? all : [readEnvironment(environments, selected)];
}

function readRoot(tryGetContext: ContextReader): { root: Record<string, unknown>; environments: Record<string, unknown> } {
  const root = tryGetContext(CUTOVER_CONTEXT_KEY);
  if (!isRecord(root)) {
    throw new CutoverConfigError(`context "${CUTOVER_CONTEXT_KEY}" is missing or not an object (see cdk.json)`);
  }
  const environments = root['environments'];
  if (!isRecord(environments)) {
    throw new CutoverConfigError(`context "${CUTOVER_CONTEXT_KEY}.environments" must be an object`);
  }
  return { root, environments };
}

function readEnvironment(environments: Record<string, unknown>, selected: unknown): CutoverEnvironmentConfig {
  if (typeof selected !== 'string' || !ENVIRONMENT_NAME.test(selected)) {
    throw new CutoverConfigError(
      `environment ${JSON.stringify(selected)} is not a valid environment name (lower case letters, digits, '-'; at most 24 characters)`,
    );
  }
  const settings = environments[selected];
  if (!isRecord(settings)) {
    throw new CutoverConfigError(
      `environment "${selected}" is not configured; configured: ${Object.keys(environments).join(', ') || '(none)'}`,
    );
  }
  const path = `${CUTOVER_CONTEXT_KEY}.environments.${selected}`;
  const monitoring = settings['monitoring'] ?? {};
  if (!isRecord(monitoring)) {
    throw new CutoverConfigError(`${path}.monitoring must be an object`);
  }
  const managed = settings['managedResources'] ?? {};
  if (!isRecord(managed)) {
    throw new CutoverConfigError(`${path}.managedResources must be an object`);
  }
  const peer = (name: string): PromotionPeer => {
    const other = environments[name] as Record<string, unknown>;
    return {
      environment: name,
      account: optionalString(other['account'], `${CUTOVER_CONTEXT_KEY}.environments.${name}.account`, ACCOUNT_PATTERN),
      region: optionalString(other['region'], `${CUTOVER_CONTEXT_KEY}.environments.${name}.region`, REGION_PATTERN),
    };
  };
  const promoteTo = settings['promoteTo'];
  if (promoteTo !== undefined && (typeof promoteTo !== 'string' || promoteTo === selected || !isRecord(environments[promoteTo]))) {
    throw new CutoverConfigError(`${path}.promoteTo must name another configured environment, got ${JSON.stringify(promoteTo)}`);
  }
  const promotedFrom = Object.entries(environments)
    .filter(([name, other]) => name !== selected && isRecord(other) && other['promoteTo'] === selected)
    .map(([name]) => peer(name));
  let releasePolicy: EnvironmentSettings;
  try {
    releasePolicy = parseEnvironmentSettings(`${path}.settings`, settings['settings']);
  } catch (error) {
    throw new CutoverConfigError((error as Error).message, { cause: error });
  }
  return {
    environment: selected,
    account: optionalString(settings['account'], `${path}.account`, ACCOUNT_PATTERN),
    region: optionalString(settings['region'], `${path}.region`, REGION_PATTERN),
    managedResources: {
      clusterNames: nameList(managed['clusterNames'], `${path}.managedResources.clusterNames`, ['*']),
      serviceNamePrefix: prefix(managed['serviceNamePrefix'], `${path}.managedResources.serviceNamePrefix`),
      taskDefinitionFamilyPrefix: prefix(managed['taskDefinitionFamilyPrefix'], `${path}.managedResources.taskDefinitionFamilyPrefix`),
      loadBalancerNamePrefix: prefix(managed['loadBalancerNamePrefix'], `${path}.managedResources.loadBalancerNamePrefix`),
      alarmNamePrefix: prefix(managed['alarmNamePrefix'], `${path}.managedResources.alarmNamePrefix`),
      passRoleNames: nameList(managed['passRoleNames'], `${path}.managedResources.passRoleNames`, ['*']),
    },
    monitoring: {
      alarmEmails: emailList(monitoring['alarmEmails'], `${path}.monitoring.alarmEmails`),
      maxLockAgeHours: maxLockAgeHours(monitoring['maxLockAgeHours'], `${path}.monitoring.maxLockAgeHours`, lockAgeBounds(releasePolicy, promotedFrom.length > 0)),
    },
    settings: releasePolicy,
    ...(promoteTo === undefined ? {} : { promoteTo: peer(promoteTo) }),
    promotedFrom,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, field: string, pattern: RegExp): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new CutoverConfigError(`${field} must match ${pattern}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function prefix(value: unknown, field: string): string {
  if (value === undefined) return '';
  // A wildcard inside a prefix would widen the pattern silently; the prefix is followed by '*' anyway.
  if (typeof value !== 'string' || !NAME_PATTERN.test(value) || value.includes('*')) {
    throw new CutoverConfigError(`${field} must be a name prefix without '*', got ${JSON.stringify(value)}`);
  }
  return value;
}

function nameList(value: unknown, field: string, fallback: readonly string[]): readonly string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0 && NAME_PATTERN.test(v))) {
    throw new CutoverConfigError(`${field} must be a non-empty list of names, got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

function emailList(value: unknown, field: string): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v))) {
    throw new CutoverConfigError(`${field} must be a list of email addresses, got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

function maxLockAgeHours(value: unknown, field: string, bounds: LockAgeBounds): number {
  if (value === undefined) return bounds.defaultHours;
  // CloudWatch compares whole seconds; 8 760 h (a year) is the longest a Step Functions execution runs.
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 8760) {
    throw new CutoverConfigError(`${field} must be a number of hours from 0 to 8760, got ${JSON.stringify(value)}`);
  }
  if (value < bounds.minimumHours) {
    throw new CutoverConfigError(
      `${field} is ${value} h, less than a release of this environment may legitimately hold its lock: ${bounds.freezeWaitHours} h waiting at a freeze ` +
        `(settings.freeze.maxWaitSeconds) + ${bounds.approvalHours} h awaiting an approval (settings.approvalTimeoutSeconds) + ${MIN_RELEASE_LOCK_HOURS} h ` +
        `of releasing; lock-held-too-long would page for every parked release. Set at least ${bounds.minimumHours}, or leave it out (default ${bounds.defaultHours})`,
    );
  }
  return value;
}
