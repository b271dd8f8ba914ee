import type {
  OperatorActionRecord,
  AlarmPort,
  AlarmStateView,
  BakeTokenRecord,
  EcsPort,
  EcsServiceView,
  ExecutionPort,
  LedgerRecord,
  LoadBalancerPort,
  LockAttempt,
  LockRecord,
  ReleaseStorePort,
  TaskDefinitionRecord,
} from '../../lambdas/domain/ports.ts';

/** One call to a fake port: `<port>.<method>` and its arguments. */
export interface PortCall {
  readonly name: string;
  readonly args: readonly unknown[];
}

/** The calls the fakes of one test received, in order, across ports. */
export class CallLog {
  readonly calls: PortCall[] = [];

  record(name: string, ...args: unknown[]): void {
    this.calls.push({ name, args });
  }

  /** The names of the calls in order. */
  names(): string[] {
    return this.calls.map((call) => call.name);
  }

  /** The arguments of every call named `name`. */
  argsOf(name: string): (readonly unknown[])[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.args);
  }
}

/** An in-memory {@link ReleaseStorePort} keyed like the table. */
export class InMemoryReleaseStore implements ReleaseStorePort {
  readonly locks = new Map<string, LockRecord>();
  readonly ledger = new Map<string, LedgerRecord>();
  readonly alarmRegistrations = new Map<string, Map<string, BakeTokenRecord>>();
  readonly currentBakes = new Map<string, BakeTokenRecord>();

  constructor(private readonly log: CallLog = new CallLog()) {}

  async acquireLock(lock: LockRecord, ledger: LedgerRecord, takeOverFrom?: string): Promise<LockAttempt> {
    this.log.record('store.acquireLock', lock, ledger, takeOverFrom);
    const key = `${lock.environment}#${lock.service}`;
    const holder = this.locks.get(key);
    if (holder !== undefined && holder.executionArn !== lock.executionArn && holder.executionArn !== takeOverFrom) {
      return { acquired: false, holder };
    }
    this.locks.set(key, lock);
    this.ledger.set(`${key}#${ledger.startedAt}#${ledger.releaseId}`, ledger);
    return { acquired: true };
  }

  async getLock(environment: string, service: string): Promise<LockRecord | undefined> {
    return this.locks.get(`${environment}#${service}`);
  }

  async completeRelease(update: Parameters<ReleaseStorePort['completeRelease']>[0]): Promise<void> {
    this.log.record('store.completeRelease', update);
    const key = `${update.environment}#${update.service}`;
    const ledgerKey = `${key}#${update.ledgerSortKey}`;
    const record = this.ledger.get(ledgerKey);
    if (record === undefined) throw new Error(`no ledger record ${ledgerKey}`);
    this.ledger.set(ledgerKey, {
      ...record,
      outcome: update.outcome,
      endedAt: update.endedAt,
      ...(update.cause === undefined ? {} : { cause: update.cause }),
      ...(update.toTaskDefinition === undefined ? {} : { toTaskDefinition: update.toTaskDefinition }),
      ...(update.postPromotionMigration === undefined ? {} : { postPromotionMigration: update.postPromotionMigration }),
    });
    if (this.locks.get(key)?.executionArn === update.executionArn) this.locks.delete(key);
    if (this.currentBakes.get(key)?.releaseId === update.releaseId) this.currentBakes.delete(key);
  }

  async getLedgerRecord(environment: string, service: string, ledgerSortKey: string): Promise<LedgerRecord | undefined> {
    return this.ledger.get(`${environment}#${service}#${ledgerSortKey}`);
  }

  async recordOperatorAction(environment: string, service: string, ledgerSortKey: string, action: OperatorActionRecord): Promise<void> {
    this.log.record('store.recordOperatorAction', environment, service, ledgerSortKey, action);
    const key = `${environment}#${service}#${ledgerSortKey}`;
    const record = this.ledger.get(key);
    if (record === undefined) throw new Error(`no ledger record ${key}`);
    this.ledger.set(key, { ...record, actions: [...(record.actions ?? []), action] });
  }

  async listReleases(environment: string, service: string, limit: number): Promise<readonly LedgerRecord[]> {
    const prefix = `${environment}#${service}#`;
    return [...this.ledger.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => b.localeCompare(a))
      .slice(0, limit)
      .map(([, record]) => record);
  }

  async registerBake(token: BakeTokenRecord, alarmNames: readonly string[], ttlSeconds: number): Promise<void> {
    this.log.record('store.registerBake', token, alarmNames, ttlSeconds);
    this.currentBakes.set(`${token.environment}#${token.service}`, token);
    for (const alarmName of alarmNames) {
      const registrations = this.alarmRegistrations.get(alarmName) ?? new Map<string, BakeTokenRecord>();
      registrations.set(`TOKEN#${token.releaseId}#${token.stepIndex}`, token);
      this.alarmRegistrations.set(alarmName, registrations);
    }
  }

  async bakesForAlarm(alarmName: string): Promise<readonly (BakeTokenRecord & { readonly sk: string })[]> {
    this.log.record('store.bakesForAlarm', alarmName);
    return [...(this.alarmRegistrations.get(alarmName)?.entries() ?? [])].map(([sk, token]) => ({ ...token, sk }));
  }

  async deleteAlarmRegistration(alarmName: string, sk: string): Promise<void> {
    this.log.record('store.deleteAlarmRegistration', alarmName, sk);
    this.alarmRegistrations.get(alarmName)?.delete(sk);
  }

  async getCurrentBake(environment: string, service: string): Promise<BakeTokenRecord | undefined> {
    return this.currentBakes.get(`${environment}#${service}`);
  }
}

/** A {@link LoadBalancerPort} that records weight changes. */
export class FakeLoadBalancer implements LoadBalancerPort {
  constructor(private readonly log: CallLog = new CallLog()) {}

  async describeRule(): Promise<undefined> {
    return undefined;
  }

  async setForwardWeights(...args: Parameters<LoadBalancerPort['setForwardWeights']>): Promise<void> {
    this.log.record('loadBalancer.setForwardWeights', ...args);
  }

  async describeTargetHealth(): Promise<readonly never[]> {
    return [];
  }
}

/** An {@link EcsPort} that records service updates. */
export class FakeEcs implements EcsPort {
  constructor(private readonly log: CallLog = new CallLog()) {}

  async describeServices(): Promise<ReadonlyMap<string, EcsServiceView>> {
    return new Map();
  }

  async describeTaskDefinition(): Promise<TaskDefinitionRecord> {
    throw new Error('not used');
  }

  async registerTaskDefinition(): Promise<string> {
    throw new Error('not used');
  }

  async updateService(...args: Parameters<EcsPort['updateService']>): Promise<void> {
    this.log.record('ecs.updateService', ...args);
  }
}

/** An {@link AlarmPort} that reports the given alarm states. */
export class FakeAlarms implements AlarmPort {
  constructor(
    public states: readonly AlarmStateView[] = [],
    private readonly log: CallLog = new CallLog(),
  ) {}

  async describeAlarms(alarmNames: readonly string[]): Promise<readonly AlarmStateView[]> {
    this.log.record('alarms.describeAlarms', alarmNames);
    return this.states.filter((state) => alarmNames.includes(state.alarmName));
  }
}

/** An {@link ExecutionPort} whose tokens in `goneTokens` no longer wait. */
export class FakeExecutions implements ExecutionPort {
  readonly goneTokens = new Set<string>();

  constructor(private readonly log: CallLog = new CallLog()) {}

  async describeExecutionStatus(): Promise<string | undefined> {
    return 'RUNNING';
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean> {
    this.log.record('executions.sendTaskFailure', taskToken, error, cause);
    return !this.goneTokens.has(taskToken);
  }

  async sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<boolean> {
    this.log.record('executions.sendTaskSuccess', taskToken, output);
    return !this.goneTokens.has(taskToken);
  }
}
