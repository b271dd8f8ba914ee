import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Deployment,
  type RegisterTaskDefinitionCommandInput,
  type Service,
} from '@aws-sdk/client-ecs';
import type { DeploymentView, EcsPort, EcsServiceView, TaskDefinitionRecord } from '../domain/ports.ts';

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

function serviceView(service: Service): EcsServiceView {
  return {
    serviceName: service.serviceName ?? '',
    serviceArn: service.serviceArn ?? '',
    status: service.status ?? '',
    taskDefinition: service.taskDefinition ?? '',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    deployments: (service.deployments ?? []).map(deploymentView),
  };
}

/** {@link EcsPort} over the ECS SDK client. */
export class EcsAdapter implements EcsPort {
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
}
