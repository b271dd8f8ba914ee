import { awsError } from './awsError.ts';

/** How fast the simulated ECS moves, in virtual seconds. */
export interface EcsTimings {
  /** From UpdateService until a new task is RUNNING. @default 15 */
  readonly taskStartSeconds?: number;
  /** From a task's start until its target is healthy (the target group reports `initial` until then). @default 30 */
  readonly healthCheckSeconds?: number;
  /** From UpdateService until the deployment is COMPLETED (at least until its tasks are healthy). @default 60 */
  readonly deploymentSeconds?: number;
}

/** What can go wrong with a service's next deployments. */
export const DeploymentFault = {
  /** The rollout stays IN_PROGRESS forever. */
  NeverCompletes: 'never-completes',
  /** The tasks never start and the rollout ends FAILED (deployment circuit breaker). */
  Fails: 'fails',
} as const;

/** A deployment fault. */
export type DeploymentFaultValue = (typeof DeploymentFault)[keyof typeof DeploymentFault];

/** One task of a simulated service. */
export interface SimulatedTask {
  readonly taskArn: string;
  readonly taskDefinitionArn: string;
  readonly deploymentId: string;
  /** Virtual time at which it runs (Infinity: never). */
  readonly startsAt: number;
  stoppedAt?: number;
  /** The private IP registered in the target group. */
  readonly ip: string;
  readonly port: number;
}

interface SimulatedDeployment {
  readonly id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  readonly taskDefinition: string;
  desiredCount: number;
  readonly createdAt: number;
  updatedAt: number;
  readonly completesAt: number;
  readonly fault?: DeploymentFaultValue;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
}

/** A simulated ECS service. */
export interface SimulatedService {
  readonly serviceName: string;
  readonly serviceArn: string;
  readonly clusterArn: string;
  readonly targetGroupArn?: string;
  readonly containerName: string;
  readonly containerPort: number;
  readonly deployments: SimulatedDeployment[];
  readonly tasks: SimulatedTask[];
  fault?: DeploymentFaultValue;
}

interface SimulatedCluster {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly services: Map<string, SimulatedService>;
}

interface StoredTaskDefinition {
  readonly taskDefinition: Record<string, unknown>;
  readonly tags: readonly { key?: string; value?: string }[];
}

/** Fields ECS sets on a task definition; a RegisterTaskDefinition request does not carry them. */
const READ_ONLY_TASK_DEFINITION_FIELDS = ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt'];

/**
 * Amazon ECS of the simulated account: clusters, services with deployments and tasks that move with the virtual clock,
 * and task definition revisions per family.
 */
export class SimulatedEcs {
  private readonly clusters = new Map<string, SimulatedCluster>();
  private readonly families = new Map<string, StoredTaskDefinition[]>();
  private sequence = 0;
  private readonly timings: Required<EcsTimings>;

  constructor(private readonly region: string, private readonly accountId: string, timings: EcsTimings = {}) {
    this.timings = { taskStartSeconds: 15, healthCheckSeconds: 30, deploymentSeconds: 60, ...timings };
  }

  /** The operations this service answers, by name. */
  readonly operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeServices: (input) => this.describeServices(input),
    DescribeTaskDefinition: (input) => this.describeTaskDefinition(input),
    RegisterTaskDefinition: (input) => this.registerTaskDefinition(input),
    UpdateService: (input) => this.updateService(input),
    RunTask: (input) => this.runTask(input),
    ListTasks: (input) => this.listTasks(input),
    StopTask: (input) => this.stopTask(input),
  };
  private readonly oneOffTasks = new Map<string, OneOffTask>();
  private oneOffScripts: OneOffTaskScript[] = [];
  private taskStoppedListeners: ((event: TaskStateChangeEvent) => void)[] = [];

  /** Seconds from a task's start until its target turns healthy. */
  get healthCheckSeconds(): number {
    return this.timings.healthCheckSeconds;
  }

  /** Creates a cluster, unless it exists; returns its ARN. */
  seedCluster(clusterName: string): string {
    const clusterArn = `arn:aws:ecs:${this.region}:${this.accountId}:cluster/${clusterName}`;
    if (!this.clusters.has(clusterName)) this.clusters.set(clusterName, { clusterName, clusterArn, services: new Map() });
    return clusterArn;
  }

  /** Registers a task definition revision directly (seeding); returns its ARN. */
  seedTaskDefinition(request: Record<string, unknown>): string {
    const output = this.registerTaskDefinition(request) as { taskDefinition: { taskDefinitionArn: string } };
    return output.taskDefinition.taskDefinitionArn;
  }

  /** Creates a service whose single deployment has COMPLETED long ago, its tasks running and healthy. */
  seedService(options: {
    readonly cluster: string;
    readonly serviceName: string;
    readonly taskDefinitionArn: string;
    readonly desiredCount: number;
    readonly targetGroupArn?: string;
    readonly containerName: string;
    readonly containerPort: number;
  }): SimulatedService {
    const cluster = this.requireCluster(options.cluster);
    const deploymentId = this.nextId('ecs-svc');
    const service: SimulatedService = {
      serviceName: options.serviceName,
      serviceArn: `arn:aws:ecs:${this.region}:${this.accountId}:service/${cluster.clusterName}/${options.serviceName}`,
      clusterArn: cluster.clusterArn,
      ...(options.targetGroupArn === undefined ? {} : { targetGroupArn: options.targetGroupArn }),
      containerName: options.containerName,
      containerPort: options.containerPort,
      deployments: [
        {
          id: deploymentId,
          status: 'PRIMARY',
          taskDefinition: options.taskDefinitionArn,
          desiredCount: options.desiredCount,
          createdAt: 0,
          updatedAt: 0,
          completesAt: 0,
          rolloutState: 'COMPLETED',
          rolloutStateReason: 'ECS deployment completed.',
        },
      ],
      tasks: [],
    };
    for (let index = 0; index < options.desiredCount; index++) service.tasks.push(this.newTask(cluster, options.taskDefinitionArn, deploymentId, 0));
    cluster.services.set(options.serviceName, service);
    return service;
  }

  /** Makes the service's next deployments misbehave (undefined: behave). */
  injectDeploymentFault(serviceName: string, fault: DeploymentFaultValue | undefined): void {
    const service = this.findServiceByName(serviceName);
    if (service === undefined) throw new Error(`no simulated ECS service ${serviceName}`);
    if (fault === undefined) delete service.fault;
    else service.fault = fault;
  }

  /** A service by name, in any cluster, brought up to the current virtual time. */
  service(serviceName: string): SimulatedService | undefined {
    const service = this.findServiceByName(serviceName);
    if (service !== undefined) this.refresh(service);
    return service;
  }

  /** A service's summary as DescribeServices reports it. */
  describe(serviceName: string): Record<string, unknown> {
    const service = this.service(serviceName);
    if (service === undefined) throw new Error(`no simulated ECS service ${serviceName}`);
    return this.serviceView(service);
  }

  /** A registered task definition by ARN, `family:revision` or family (latest). */
  taskDefinition(reference: string): Record<string, unknown> | undefined {
    return this.findTaskDefinition(reference)?.taskDefinition;
  }

  /** The tasks running now behind a target group, with the time each started. */
  runningTasksBehind(targetGroupArn: string): readonly SimulatedTask[] {
    const now = Date.now();
    const tasks: SimulatedTask[] = [];
    for (const cluster of this.clusters.values()) {
      for (const service of cluster.services.values()) {
        if (service.targetGroupArn !== targetGroupArn) continue;
        this.refresh(service);
        tasks.push(...service.tasks.filter((task) => isRunning(task, now)));
      }
    }
    return tasks;
  }

  /**
   * How the next one-off tasks (RunTask) behave, in order; a task without a script exits 0 after 30 s. A task that
   * exits or fails to start reports an `ECS Task State Change` (STOPPED) to the {@link onTaskStopped} listeners.
   */
  scriptOneOffTasks(...scripts: OneOffTaskScript[]): void {
    this.oneOffScripts.push(...scripts);
  }

  /** Calls `listener` with the `ECS Task State Change` event of every one-off task that stops. */
  onTaskStopped(listener: (event: TaskStateChangeEvent) => void): void {
    this.taskStoppedListeners.push(listener);
  }

  /** Every one-off task started with RunTask, oldest first. */
  oneOffTaskList(): readonly OneOffTaskView[] {
    return [...this.oneOffTasks.values()].map(({ timer: _timer, ...task }) => ({ ...task }));
  }

  /** Removes everything. */
  reset(): void {
    for (const task of this.oneOffTasks.values()) clearTimeout(task.timer);
    this.oneOffTasks.clear();
    this.oneOffScripts = [];
    this.taskStoppedListeners = [];
    this.clusters.clear();
    this.families.clear();
    this.sequence = 0;
  }

  private runTask(input: Record<string, unknown>): unknown {
    const cluster = this.requireCluster(typeof input.cluster === 'string' ? input.cluster : 'default');
    const stored = this.findTaskDefinition(String(input.taskDefinition));
    if (stored === undefined) throw awsError('ecs', 'InvalidParameterException', 'TaskDefinition not found.');
    const script = this.oneOffScripts.shift() ?? { exitCode: 0, runSeconds: 30 };
    if ('placementFailure' in script) {
      return { tasks: [], failures: [{ arn: `arn:aws:ecs:${this.region}:${this.accountId}:container-instance/${cluster.clusterName}/none`, reason: script.placementFailure }] };
    }
    const taskArn = `arn:aws:ecs:${this.region}:${this.accountId}:task/${cluster.clusterName}/${this.nextId('oneoff')}`;
    const overrides = (input.overrides as { containerOverrides?: { name?: string; command?: string[] }[] } | undefined)?.containerOverrides ?? [];
    const containers = ((stored.taskDefinition.containerDefinitions ?? []) as { name: string }[]).map((container) => container.name);
    const task: OneOffTask = {
      taskArn,
      clusterArn: cluster.clusterArn,
      taskDefinitionArn: String(stored.taskDefinition.taskDefinitionArn),
      startedBy: typeof input.startedBy === 'string' ? input.startedBy : undefined,
      command: overrides[0]?.command ?? [],
      containers,
      lastStatus: 'RUNNING',
      startedAt: Date.now(),
    };
    this.oneOffTasks.set(taskArn, task);
    if ('imagePullFailure' in script) {
      task.timer = setTimeout(() => this.stopOneOff(task, { stopCode: 'TaskFailedToStart', stoppedReason: `CannotPullContainerError: ${script.imagePullFailure}` }), 5000);
    } else if ('exitCode' in script) {
      const exitCode = script.exitCode;
      task.timer = setTimeout(() => this.stopOneOff(task, { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode }), script.runSeconds * 1000);
    }
    return { tasks: [{ taskArn, clusterArn: cluster.clusterArn, lastStatus: 'PROVISIONING', startedBy: task.startedBy }], failures: [] };
  }

  private listTasks(input: Record<string, unknown>): unknown {
    const cluster = this.requireCluster(typeof input.cluster === 'string' ? input.cluster : 'default');
    const wantStopped = input.desiredStatus === 'STOPPED';
    const taskArns = [...this.oneOffTasks.values()]
      .filter((task) => task.clusterArn === cluster.clusterArn && (input.startedBy === undefined || task.startedBy === input.startedBy))
      .filter((task) => (task.lastStatus === 'STOPPED') === wantStopped)
      .map((task) => task.taskArn);
    return { taskArns };
  }

  private stopTask(input: Record<string, unknown>): unknown {
    this.requireCluster(typeof input.cluster === 'string' ? input.cluster : 'default');
    const task = this.oneOffTasks.get(String(input.task));
    if (task === undefined) throw awsError('ecs', 'InvalidParameterException', 'The referenced task was not found.');
    if (task.lastStatus !== 'STOPPED') {
      clearTimeout(task.timer);
      // The container is killed: ECS reports SIGKILL's exit code, and a stop reason naming the caller's reason.
      this.stopOneOff(task, { stopCode: 'UserInitiated', stoppedReason: typeof input.reason === 'string' ? input.reason : 'Task stopped by user', exitCode: 137 });
    }
    return { task: { taskArn: task.taskArn, lastStatus: 'STOPPED' } };
  }

  private stopOneOff(task: OneOffTask, end: { stopCode: string; stoppedReason: string; exitCode?: number }): void {
    task.lastStatus = 'STOPPED';
    task.stoppedAt = Date.now();
    task.stopCode = end.stopCode;
    task.stoppedReason = end.stoppedReason;
    if (end.exitCode !== undefined) task.exitCode = end.exitCode;
    const event: TaskStateChangeEvent = {
      source: 'aws.ecs',
      'detail-type': 'ECS Task State Change',
      time: new Date(task.stoppedAt).toISOString(),
      detail: {
        taskArn: task.taskArn,
        clusterArn: task.clusterArn,
        taskDefinitionArn: task.taskDefinitionArn,
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        stopCode: end.stopCode,
        stoppedReason: end.stoppedReason,
        ...(task.startedBy === undefined ? {} : { startedBy: task.startedBy }),
        containers: task.containers.map((name) => ({ name, lastStatus: 'STOPPED', ...(end.exitCode === undefined ? {} : { exitCode: end.exitCode }) })),
      },
    };
    for (const listener of this.taskStoppedListeners) listener(event);
  }

  private describeServices(input: Record<string, unknown>): unknown {
    const cluster = this.requireCluster(typeof input.cluster === 'string' ? input.cluster : 'default');
    const references = Array.isArray(input.services) ? (input.services as string[]) : [];
    if (references.length === 0 || references.length > 10) {
      throw awsError('ecs', 'InvalidParameterException', 'services must name between 1 and 10 services');
    }
    const services: Record<string, unknown>[] = [];
    const failures: Record<string, unknown>[] = [];
    for (const reference of references) {
      const service = cluster.services.get(serviceNameOf(reference));
      if (service === undefined) {
        failures.push({ arn: reference.startsWith('arn:') ? reference : `arn:aws:ecs:${this.region}:${this.accountId}:service/${cluster.clusterName}/${reference}`, reason: 'MISSING' });
        continue;
      }
      this.refresh(service);
      services.push(this.serviceView(service));
    }
    return { services, failures };
  }

  private describeTaskDefinition(input: Record<string, unknown>): unknown {
    const reference = String(input.taskDefinition);
    const stored = this.findTaskDefinition(reference);
    if (stored === undefined) throw awsError('ecs', 'ClientException', 'Unable to describe task definition.');
    const include = Array.isArray(input.include) ? (input.include as string[]) : [];
    return { taskDefinition: stored.taskDefinition, ...(include.includes('TAGS') ? { tags: stored.tags } : {}) };
  }

  private registerTaskDefinition(input: Record<string, unknown>): unknown {
    const family = input.family;
    if (typeof family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
      throw awsError('ecs', 'ClientException', 'Family contains invalid characters or is missing.');
    }
    const containers = input.containerDefinitions;
    if (!Array.isArray(containers) || containers.length === 0) {
      throw awsError('ecs', 'ClientException', 'Container list cannot be empty.');
    }
    for (const container of containers as Record<string, unknown>[]) {
      if (typeof container.name !== 'string' || typeof container.image !== 'string') {
        throw awsError('ecs', 'ClientException', 'Container.name and Container.image should not be null or empty.');
      }
    }
    const tags = Array.isArray(input.tags) ? (input.tags as { key?: string; value?: string }[]) : [];
    for (const tag of tags) {
      if (typeof tag.key !== 'string' || tag.key.length === 0) throw awsError('ecs', 'InvalidParameterException', 'Tag keys must not be empty.');
    }
    const revisions = this.families.get(family) ?? [];
    const revision = revisions.length + 1;
    const body: Record<string, unknown> = { ...input };
    delete body.tags;
    for (const field of READ_ONLY_TASK_DEFINITION_FIELDS) delete body[field];
    const taskDefinition: Record<string, unknown> = {
      ...body,
      taskDefinitionArn: `arn:aws:ecs:${this.region}:${this.accountId}:task-definition/${family}:${revision}`,
      revision,
      status: 'ACTIVE',
      compatibilities: ['EC2', 'FARGATE'],
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
      registeredAt: new Date(),
      registeredBy: `arn:aws:sts::${this.accountId}:assumed-role/cutover-sandbox/release`,
    };
    revisions.push({ taskDefinition, tags: tags.map((tag) => ({ ...tag })) });
    this.families.set(family, revisions);
    return { taskDefinition, tags };
  }

  private updateService(input: Record<string, unknown>): unknown {
    const cluster = this.requireCluster(typeof input.cluster === 'string' ? input.cluster : 'default');
    const service = cluster.services.get(serviceNameOf(String(input.service)));
    if (service === undefined) throw awsError('ecs', 'ServiceNotFoundException', 'Service not found.');
    this.refresh(service);
    const now = Date.now();
    const primary = service.deployments.find((deployment) => deployment.status === 'PRIMARY');
    if (primary === undefined) throw new Error(`simulated service ${service.serviceName} has no primary deployment`);
    const desiredCount = typeof input.desiredCount === 'number' ? input.desiredCount : primary.desiredCount;
    if (!Number.isInteger(desiredCount) || desiredCount < 0) throw awsError('ecs', 'InvalidParameterException', 'desiredCount must be a non-negative integer.');
    let taskDefinitionArn = primary.taskDefinition;
    if (typeof input.taskDefinition === 'string') {
      const stored = this.findTaskDefinition(input.taskDefinition);
      if (stored === undefined) throw awsError('ecs', 'ClientException', 'TaskDefinition not found.');
      taskDefinitionArn = String(stored.taskDefinition.taskDefinitionArn);
    }

    if (taskDefinitionArn === primary.taskDefinition && input.forceNewDeployment !== true) {
      // A desired count change scales the primary deployment; it does not start a new one.
      primary.desiredCount = desiredCount;
      primary.updatedAt = now;
      const live = service.tasks.filter((task) => task.deploymentId === primary.id && task.stoppedAt === undefined);
      for (const task of live.slice(desiredCount)) task.stoppedAt = now;
      for (let index = live.length; index < desiredCount; index++) {
        service.tasks.push(this.newTask(cluster, taskDefinitionArn, primary.id, now + this.timings.taskStartSeconds * 1000));
      }
      return { service: this.serviceView(service) };
    }

    const fault = service.fault;
    const readyAt = now + Math.max(this.timings.deploymentSeconds, this.timings.taskStartSeconds + this.timings.healthCheckSeconds) * 1000;
    const deployment: SimulatedDeployment = {
      id: this.nextId('ecs-svc'),
      status: 'PRIMARY',
      taskDefinition: taskDefinitionArn,
      desiredCount,
      createdAt: now,
      updatedAt: now,
      completesAt: fault === DeploymentFault.NeverCompletes ? Number.POSITIVE_INFINITY : readyAt,
      ...(fault === undefined ? {} : { fault }),
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: 'ECS deployment ecs-svc in progress.',
    };
    primary.status = 'ACTIVE';
    service.deployments.unshift(deployment);
    const startsAt = fault === DeploymentFault.Fails ? Number.POSITIVE_INFINITY : now + this.timings.taskStartSeconds * 1000;
    for (let index = 0; index < desiredCount; index++) service.tasks.push(this.newTask(cluster, taskDefinitionArn, deployment.id, startsAt));
    return { service: this.serviceView(service) };
  }

  /** Moves the service's deployments and tasks forward to the current virtual time. */
  private refresh(service: SimulatedService): void {
    const now = Date.now();
    const primary = service.deployments.find((deployment) => deployment.status === 'PRIMARY');
    if (primary === undefined || primary.rolloutState !== 'IN_PROGRESS' || now < primary.completesAt) return;
    if (primary.fault === DeploymentFault.Fails) {
      primary.rolloutState = 'FAILED';
      primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
      primary.updatedAt = primary.completesAt;
      for (const task of service.tasks) if (task.deploymentId === primary.id && task.stoppedAt === undefined) task.stoppedAt = primary.completesAt;
      return;
    }
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = 'ECS deployment completed.';
    primary.updatedAt = primary.completesAt;
    for (const deployment of service.deployments) {
      if (deployment === primary) continue;
      deployment.status = 'INACTIVE';
      for (const task of service.tasks) if (task.deploymentId === deployment.id && task.stoppedAt === undefined) task.stoppedAt = primary.completesAt;
    }
    const active = service.deployments.filter((deployment) => deployment.status !== 'INACTIVE');
    service.deployments.splice(0, service.deployments.length, ...active);
  }

  private serviceView(service: SimulatedService): Record<string, unknown> {
    const now = Date.now();
    const counts = (deploymentId?: string): { running: number; pending: number } => {
      const tasks = service.tasks.filter((task) => (deploymentId === undefined || task.deploymentId === deploymentId) && (task.stoppedAt === undefined || task.stoppedAt > now));
      const running = tasks.filter((task) => isRunning(task, now)).length;
      return { running, pending: tasks.length - running };
    };
    const primary = service.deployments.find((deployment) => deployment.status === 'PRIMARY');
    const total = counts();
    return {
      serviceArn: service.serviceArn,
      serviceName: service.serviceName,
      clusterArn: service.clusterArn,
      status: 'ACTIVE',
      launchType: 'FARGATE',
      taskDefinition: primary?.taskDefinition,
      desiredCount: primary?.desiredCount ?? 0,
      runningCount: total.running,
      pendingCount: total.pending,
      loadBalancers:
        service.targetGroupArn === undefined ? [] : [{ targetGroupArn: service.targetGroupArn, containerName: service.containerName, containerPort: service.containerPort }],
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false }, maximumPercent: 200, minimumHealthyPercent: 100 },
      deployments: service.deployments.map((deployment) => {
        const deploymentCounts = counts(deployment.id);
        return {
          id: deployment.id,
          status: deployment.status,
          taskDefinition: deployment.taskDefinition,
          desiredCount: deployment.desiredCount,
          runningCount: deploymentCounts.running,
          pendingCount: deploymentCounts.pending,
          failedTasks: deployment.rolloutState === 'FAILED' ? deployment.desiredCount : 0,
          createdAt: new Date(deployment.createdAt),
          updatedAt: new Date(deployment.updatedAt),
          launchType: 'FARGATE',
          rolloutState: deployment.rolloutState,
          rolloutStateReason: deployment.rolloutStateReason,
        };
      }),
    };
  }

  private newTask(cluster: SimulatedCluster, taskDefinitionArn: string, deploymentId: string, startsAt: number): SimulatedTask {
    const id = this.nextId('task');
    const n = this.sequence;
    return {
      taskArn: `arn:aws:ecs:${this.region}:${this.accountId}:task/${cluster.clusterName}/${id}`,
      taskDefinitionArn,
      deploymentId,
      startsAt,
      ip: `10.0.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`,
      port: 8080,
    };
  }

  private findTaskDefinition(reference: string): StoredTaskDefinition | undefined {
    const match = /(?:task-definition\/)?([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(reference);
    if (match === null) return undefined;
    const revisions = this.families.get(match[1] ?? '');
    if (revisions === undefined) return undefined;
    if (match[2] === undefined) return revisions.at(-1);
    return revisions[Number(match[2]) - 1];
  }

  private requireCluster(reference: string): SimulatedCluster {
    const name = reference.startsWith('arn:') ? reference.slice(reference.lastIndexOf('/') + 1) : reference;
    const cluster = this.clusters.get(name);
    if (cluster === undefined) throw awsError('ecs', 'ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  private findServiceByName(serviceName: string): SimulatedService | undefined {
    for (const cluster of this.clusters.values()) {
      const service = cluster.services.get(serviceName);
      if (service !== undefined) return service;
    }
    return undefined;
  }

  private nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}-${this.sequence.toString(16).padStart(8, '0')}${'0'.repeat(24)}`.slice(0, prefix.length + 33);
  }
}

function isRunning(task: SimulatedTask, now: number): boolean {
  return task.startsAt <= now && (task.stoppedAt === undefined || task.stoppedAt > now);
}

function serviceNameOf(reference: string): string {
  return reference.startsWith('arn:') ? reference.slice(reference.lastIndexOf('/') + 1) : reference;
}

/** How a one-off task behaves: its essential containers exit with `exitCode` after `runSeconds`; it fails to start (image pull) after 5 s; ECS cannot place it; or it runs until stopped. */
export type OneOffTaskScript =
  | { readonly exitCode: number; readonly runSeconds: number }
  | { readonly imagePullFailure: string }
  | { readonly placementFailure: string }
  | { readonly runsUntilStopped: true };

/** A one-off task as the sandbox reports it. */
export interface OneOffTaskView {
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly startedBy: string | undefined;
  readonly command: readonly string[];
  readonly containers: readonly string[];
  lastStatus: 'RUNNING' | 'STOPPED';
  readonly startedAt: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  exitCode?: number;
}

interface OneOffTask extends OneOffTaskView {
  timer?: ReturnType<typeof setTimeout>;
}

/** An EventBridge `ECS Task State Change` event, as ECS sends it for a stopped task (the fields cutover reads). */
export interface TaskStateChangeEvent {
  readonly source: 'aws.ecs';
  readonly 'detail-type': 'ECS Task State Change';
  readonly time: string;
  readonly detail: Record<string, unknown> & { readonly startedBy?: string; readonly lastStatus: string };
}
