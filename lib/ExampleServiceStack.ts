import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import type { CutoverEnvironmentConfig, PromotionPeer } from './cutoverConfig.ts';
import { exampleResourceNames } from './exampleResourceNames.ts';
import { ExampleServiceAlarms } from './ExampleServiceAlarms.ts';
import { ExampleServiceCompute } from './ExampleServiceCompute.ts';
import { ExampleServiceConfig } from './ExampleServiceConfig.ts';
import { ExampleServiceLoadBalancer } from './ExampleServiceLoadBalancer.ts';
import { ExampleServiceNetwork } from './ExampleServiceNetwork.ts';
import { ExampleServiceRepository } from './ExampleServiceRepository.ts';

/** A small public image listening on 8080, so that the first deploy is healthy before anything is pushed. */
export const EXAMPLE_STARTER_IMAGE = 'public.ecr.aws/nginx/nginx-unprivileged:stable-alpine';

/** Properties of {@link ExampleServiceStack}. */
export interface ExampleServiceStackProps extends StackProps {
  /** The environment's cutover settings (from the `cutover` context): its name, policy and promotion peers. */
  readonly config: CutoverEnvironmentConfig;
  /** The environment whose example stack creates the ECR repository (the first of the promotion chain). @default this environment */
  readonly imageSource?: PromotionPeer;
  /**
   * The tag of the example repository's image the stack's task definition runs. cutover's releases replace it with a
   * digest of the repository anyway. @default - {@link EXAMPLE_STARTER_IMAGE}, so that a first deploy needs no push
   */
  readonly imageTag?: string;
  /** The Slack channel id the example's release notifications go to. @default - none */
  readonly slackChannel?: string;
  /** Tasks of the live colour. @default 2 */
  readonly desiredCount?: number;
}

/**
 * An example service to release with cutover, next to an environment's control plane: a VPC, an internet-facing ALB
 * with a weighted production rule (blue 100 / green 0) and a test rule, an ECS cluster with blue and green Fargate
 * services, the ECR repository images are pushed to, the 5xx-rate and p99-latency alarms, and the service's cutover
 * configuration in SSM. Every name starts with `<environment>-example`, inside the control plane's managedResources.
 */
export class ExampleServiceStack extends Stack {
  public readonly network: ExampleServiceNetwork;
  public readonly repository: ExampleServiceRepository;
  public readonly loadBalancer: ExampleServiceLoadBalancer;
  public readonly compute: ExampleServiceCompute;
  public readonly alarms: ExampleServiceAlarms;
  public readonly serviceConfig: ExampleServiceConfig;

  constructor(scope: Construct, id: string, props: ExampleServiceStackProps) {
    super(scope, id, props);
    const { environment } = props.config;
    const names = exampleResourceNames(environment);
    const source = props.imageSource ?? { environment };
    const sourceNames = exampleResourceNames(source.environment);
    const entersHere = source.environment === environment;

    this.network = new ExampleServiceNetwork(this, 'Network', { vpcName: names.clusterName });
    this.repository = new ExampleServiceRepository(this, 'Image', {
      repositoryName: sourceNames.repositoryName,
      ...(entersHere ? {} : { createdBy: { account: source.account, region: source.region } }),
    });
    this.loadBalancer = new ExampleServiceLoadBalancer(this, 'LoadBalancer', {
      vpc: this.network.vpc,
      loadBalancerName: names.loadBalancerName,
      blueTargetGroupName: names.blueTargetGroupName,
      greenTargetGroupName: names.greenTargetGroupName,
    });
    this.compute = new ExampleServiceCompute(this, 'Compute', {
      vpc: this.network.vpc,
      clusterName: names.clusterName,
      taskDefinitionFamily: names.taskDefinitionFamily,
      blueServiceName: names.blueServiceName,
      greenServiceName: names.greenServiceName,
      taskRoleName: names.taskRoleName,
      executionRoleName: names.executionRoleName,
      image: props.imageTag === undefined ? ecs.ContainerImage.fromRegistry(EXAMPLE_STARTER_IMAGE) : ecs.ContainerImage.fromEcrRepository(this.repository.repository, props.imageTag),
      pullFrom: [this.repository.repository],
      loadBalancerSecurityGroup: this.loadBalancer.securityGroup,
      blueTargetGroup: this.loadBalancer.blueTargetGroup,
      greenTargetGroup: this.loadBalancer.greenTargetGroup,
      ...(props.desiredCount === undefined ? {} : { desiredCount: props.desiredCount }),
    });
    this.alarms = new ExampleServiceAlarms(this, 'Alarms', {
      blueTargetGroup: this.loadBalancer.blueTargetGroup,
      greenTargetGroup: this.loadBalancer.greenTargetGroup,
      errorRateAlarmName: names.errorRateAlarmName,
      latencyAlarmName: names.latencyAlarmName,
    });
    this.serviceConfig = new ExampleServiceConfig(this, 'ServiceConfig', {
      environment,
      service: names.service,
      cluster: names.clusterName,
      containerName: this.compute.containerName,
      blue: { serviceName: names.blueServiceName, targetGroupArn: this.loadBalancer.blueTargetGroup.targetGroupArn },
      green: { serviceName: names.greenServiceName, targetGroupArn: this.loadBalancer.greenTargetGroup.targetGroupArn },
      productionListenerRuleArn: this.loadBalancer.productionRule.listenerRuleArn,
      testListenerRuleArn: this.loadBalancer.testRule.listenerRuleArn,
      alarmNames: [names.errorRateAlarmName, names.latencyAlarmName],
      smokeTestUrl: `http://${this.loadBalancer.loadBalancer.loadBalancerDnsName}:${this.loadBalancer.testPort}/`,
      // Images enter the chain by a push to main-* here; the later environments get them by promotion only.
      triggers: entersHere ? [{ repository: names.repositoryName, tagPattern: 'main-*' }] : [],
      // onPromotion releases only images from repositories the service names: the first environment's repository.
      ...(entersHere ? {} : { promotionRepositories: [this.repository.repository.repositoryUri] }),
      // An environment that asks for approvals asks for them on promotions too, whatever its settings say later.
      promotion: props.config.settings.requireApproval ? 'approval' : 'auto',
      ...(props.slackChannel === undefined ? {} : { slackChannel: props.slackChannel }),
    });

    new CfnOutput(this, 'Url', { description: 'the example service (production listener)', value: `http://${this.loadBalancer.loadBalancer.loadBalancerDnsName}/` });
    new CfnOutput(this, 'RepositoryUri', { description: 'push images here (tag main-* releases in the first environment)', value: this.repository.repository.repositoryUri });
  }
}
