import type {
  AlarmPort,
  AlarmStateView,
  EcsPort,
  EcsServiceView,
  ExecutionPort,
  LedgerRecord,
  ListenerRuleView,
  LoadBalancerPort,
  LockAttempt,
  LockRecord,
  ParameterPort,
  ReleaseStorePort,
  TargetHealthView,
  TaskDefinitionRecord,
  WeightedTargetGroup,
} from '../../lambdas/domain/ports.ts';

/**
 * In-memory ports for the domain tests of Prepare to CheckIdleReady: plain maps for what AWS holds (fill them in a test),
 * arrays for what was asked of it.
 */
export function fakeAwsPorts() {
  const parameterValues = new Map<string, string>();
  const rules = new Map<string, ListenerRuleView>();
  const targetHealth = new Map<string, TargetHealthView[]>();
  const services = new Map<string, EcsServiceView>();
  const taskDefinitions = new Map<string, TaskDefinitionRecord>();
  const alarmStates = new Map<string, AlarmStateView>();
  const executionStatuses = new Map<string, string>();
  const locks = new Map<string, LockRecord>();
  const ledger: LedgerRecord[] = [];
  const calls = {
    acquireLock: [] as { lock: LockRecord; ledger: LedgerRecord; takeOverFrom?: string }[],
    registered: [] as Record<string, unknown>[],
    updates: [] as { cluster: string; serviceName: string; update: { taskDefinition?: string; desiredCount: number } }[],
    weights: [] as { ruleArn: string; targetGroups: readonly WeightedTargetGroup[] }[],
    describeServices: [] as { cluster: string; serviceNames: readonly string[] }[],
  };
  const state = { clusterExists: true };

  const parameters: ParameterPort = { getParameter: async (name) => parameterValues.get(name) };
  const loadBalancer: LoadBalancerPort = {
    describeRule: async (ruleArn) => rules.get(ruleArn),
    setForwardWeights: async (ruleArn, targetGroups) => {
      calls.weights.push({ ruleArn, targetGroups });
    },
    describeTargetHealth: async (targetGroupArn) => targetHealth.get(targetGroupArn) ?? [],
  };
  const ecs: EcsPort = {
    describeServices: async (cluster, serviceNames) => {
      calls.describeServices.push({ cluster, serviceNames });
      if (!state.clusterExists) throw Object.assign(new Error('Cluster not found.'), { name: 'ClusterNotFoundException' });
      return new Map(serviceNames.flatMap((name) => (services.has(name) ? [[name, services.get(name) as EcsServiceView]] : [])));
    },
    describeTaskDefinition: async (arn) => {
      const record = taskDefinitions.get(arn);
      if (record === undefined) throw Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' });
      return record;
    },
    registerTaskDefinition: async (request) => {
      calls.registered.push(request);
      return `arn:aws:ecs:eu-west-1:123456789012:task-definition/${String(request.family)}:${100 + calls.registered.length}`;
    },
    updateService: async (cluster, serviceName, update) => {
      calls.updates.push({ cluster, serviceName, update });
    },
  };
  const alarms: AlarmPort = {
    describeAlarms: async (names) => names.flatMap((name) => (alarmStates.has(name) ? [alarmStates.get(name) as AlarmStateView] : [])),
  };
  const executions: ExecutionPort = {
    describeExecutionStatus: async (arn) => executionStatuses.get(arn),
    sendTaskFailure: async () => true,
    sendTaskSuccess: async () => true,
  };
  const unused = (): never => {
    throw new Error('not used by these tests');
  };
  const store: ReleaseStorePort = {
    acquireLock: async (lock, record, takeOverFrom): Promise<LockAttempt> => {
      calls.acquireLock.push({ lock, ledger: record, ...(takeOverFrom === undefined ? {} : { takeOverFrom }) });
      const key = `${lock.environment}#${lock.service}`;
      const holder = locks.get(key);
      if (holder !== undefined && holder.executionArn !== lock.executionArn && holder.executionArn !== takeOverFrom) {
        return { acquired: false, holder };
      }
      locks.set(key, lock);
      ledger.push(record);
      return { acquired: true };
    },
    getLock: async (environment, service) => locks.get(`${environment}#${service}`),
    completeRelease: unused,
    getLedgerRecord: unused,
    listReleases: unused,
    recordOperatorAction: unused,
    registerBake: unused,
    bakesForAlarm: unused,
    deleteAlarmRegistration: unused,
    getCurrentBake: unused,
  };

  return {
    ports: { parameters, loadBalancer, ecs, alarms, store, executions },
    aws: { parameterValues, rules, targetHealth, services, taskDefinitions, alarmStates, executionStatuses, locks, ledger, state },
    calls,
  };
}
