import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type Deployment,
  type RegisterTaskDefinitionCommandInput,
  type RunTaskCommandInput,
  type Service,
} from '@aws-sdk/client-ecs';
import type {
  DeploymentView,
  EcsPort,
  EcsServiceView,
  EcsTaskPort,
  RunTaskRequest,
  RunTaskResult,
  ServiceLaunchSettings,
  TaskDefinitionRecord,
} from '../domain/ports.ts';

/** DescribeServices takes at most 10 services per call. */
const MAX_SERVICES_PER_CALL = 10;

function deploymentView(deployment: Deployment): DeploymentView {
  return {
    id: deployment.id ?? '',
    status: deployment.status ?? '',
    taskDefinition: deployment.taskDefinition ?? '',
    desiredCount: deployment.desiredCount ?? 0,
    runningCount: deployment.runningCount ?? 0,
    pendingCount: deployment.pendingCount ?? 0,
    ...(deployment.rolloutState === undefined ? {} : { rolloutState: deployment.rolloutState }),
    ...(deployment.rolloutStateReason === undefined ? {} : { rolloutStateReason: deployment.rolloutStateReason }),
  };
}

function launchOf(service: Service): ServiceLaunchSettings | undefined {
  const awsvpc = service.networkConfiguration?.awsvpcConfiguration;
  const strategy = service.capacityProviderStrategy ?? [];
  const launch: ServiceLaunchSettings = {
    ...(service.launchType === undefined || strategy.length > 0 ? {} : { launchType: service.launchType }),
    ...(strategy.length === 0
      ? {}
      : {
          capacityProviderStrategy: strategy.map((item) => ({
            capacityProvider: item.capacityProvider ?? '',
            ...(item.weight === undefined ? {} : { weight: item.weight }),
            ...(item.base === undefined ? {} : { base: item.base }),
          })),
        }),
    ...(service.platformVersion === undefined ? {} : { platformVersion: service.platformVersion }),
    ...(awsvpc === undefined
      ? {}
      : {
          network: {
            subnets: awsvpc.subnets ?? [],
            securityGroups: awsvpc.securityGroups ?? [],
            ...(awsvpc.assignPublicIp === undefined ? {} : { assignPublicIp: awsvpc.assignPublicIp }),
          },
        }),
  };
  return Object.keys(launch).length === 0 ? undefined : launch;
}

function serviceView(service: Service): EcsServiceView {
  const launch = launchOf(service);
  return {
    serviceName: service.serviceName ?? '',
    serviceArn: service.serviceArn ?? '',
    status: service.status ?? '',
    taskDefinition: service.taskDefinition ?? '',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    deployments: (service.deployments ?? []).map(deploymentView),
    ...(launch === undefined ? {} : { launch }),
  };
}

/** {@link EcsPort} and {@link EcsTaskPort} over the ECS SDK client. */
export class EcsAdapter implements EcsPort, EcsTaskPort {
  private readonly client: ECSClient;

  constructor(client?: ECSClient) {
    this.client = client ?? new ECSClient({});
  }

  /** @inheritdoc */
  async describeServices(cluster: string, serviceNames: readonly string[]): Promise<ReadonlyMap<string, EcsServiceView>> {
    const found = new Map<string, EcsServiceView>();
    for (let start = 0; start < serviceNames.length; start += MAX_SERVICES_PER_CALL) {
      const services = serviceNames.slice(start, start + MAX_SERVICES_PER_CALL);
      // Names ECS cannot find come back in `failures` (reason MISSING), not as an error.
      const output = await this.client.send(new DescribeServicesCommand({ cluster, services }));
      for (const service of output.services ?? []) {
        const view = serviceView(service);
        found.set(view.serviceName, view);
      }
    }
    return found;
  }

  /** @inheritdoc */
  async describeTaskDefinition(taskDefinitionArn: string): Promise<TaskDefinitionRecord> {
    const output = await this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn, include: ['TAGS'] }));
    if (output.taskDefinition === undefined) throw new Error(`DescribeTaskDefinition returned no task definition for ${taskDefinitionArn}`);
    return {
      taskDefinition: output.taskDefinition as Record<string, unknown>,
      ...(output.tags === undefined ? {} : { tags: output.tags }),
    };
  }

  /** @inheritdoc */
  async registerTaskDefinition(request: Record<string, unknown>): Promise<string> {
    const output = await this.client.send(new RegisterTaskDefinitionCommand(request as unknown as RegisterTaskDefinitionCommandInput));
    const arn = output.taskDefinition?.taskDefinitionArn;
    if (arn === undefined) throw new Error('RegisterTaskDefinition returned no task definition ARN');
    return arn;
  }

  /** @inheritdoc */
  async updateService(cluster: string, serviceName: string, update: { readonly taskDefinition?: string; readonly desiredCount: number }): Promise<void> {
    await this.client.send(
      new UpdateServiceCommand({
        cluster,
        service: serviceName,
        desiredCount: update.desiredCount,
        ...(update.taskDefinition === undefined ? {} : { taskDefinition: update.taskDefinition }),
      }),
    );
  }

  /** @inheritdoc */
  async runTask(request: RunTaskRequest): Promise<RunTaskResult> {
    const { launch } = request;
    const input: RunTaskCommandInput = {
      cluster: request.cluster,
      taskDefinition: request.taskDefinitionArn,
      count: 1,
      startedBy: request.startedBy,
      overrides: { containerOverrides: [{ name: request.containerName, command: [...request.command] }] },
      ...(launch.launchType === undefined ? {} : { launchType: launch.launchType as RunTaskCommandInput['launchType'] }),
      ...(launch.capacityProviderStrategy === undefined ? {} : { capacityProviderStrategy: launch.capacityProviderStrategy.map((item) => ({ ...item })) }),
      ...(launch.platformVersion === undefined ? {} : { platformVersion: launch.platformVersion }),
      ...(launch.network === undefined
        ? {}
        : {
            networkConfiguration: {
              awsvpcConfiguration: {
                subnets: [...launch.network.subnets],
                securityGroups: [...launch.network.securityGroups],
                ...(launch.network.assignPublicIp === undefined ? {} : { assignPublicIp: launch.network.assignPublicIp as 'ENABLED' | 'DISABLED' }),
              },
            },
          }),
    };
    const output = await this.client.send(new RunTaskCommand(input));
    const taskArn = output.tasks?.[0]?.taskArn;
    if (taskArn !== undefined) return { taskArn };
    const failures = (output.failures ?? []).map((failure) => [failure.reason, failure.detail, failure.arn].filter((part) => part !== undefined && part !== '').join(' '));
    return { failure: failures.length === 0 ? 'RunTask started no task and reported no failure' : failures.join('; ') };
  }

  /** @inheritdoc */
  async listRunningTasks(cluster: string, startedBy: string): Promise<readonly string[]> {
    const taskArns: string[] = [];
    let nextToken: string | undefined;
    do {
      const output = await this.client.send(new ListTasksCommand({ cluster, startedBy, desiredStatus: 'RUNNING', nextToken }));
      taskArns.push(...(output.taskArns ?? []));
      nextToken = output.nextToken;
    } while (nextToken !== undefined);
    return taskArns;
  }

  /** @inheritdoc */
  async stopTask(cluster: string, taskArn: string, reason: string): Promise<void> {
    try {
      await this.client.send(new StopTaskCommand({ cluster, task: taskArn, reason }));
    } catch (error) {
      // A task that already stopped and was cleaned up is what stopping wanted.
      if ((error as Error).name === 'InvalidParameterException' && /not found|cannot be found/i.test((error as Error).message)) return;
      throw error;
    }
  }
}
