import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Properties of {@link ExampleServiceCompute}. */
export interface ExampleServiceComputeProps {
  readonly vpc: ec2.IVpc;
  readonly clusterName: string;
  readonly taskDefinitionFamily: string;
  readonly blueServiceName: string;
  readonly greenServiceName: string;
  /** Names matching the environment's managedResources.passRoleNames, so that cutover may pass them to a new revision. */
  readonly taskRoleName: string;
  readonly executionRoleName: string;
  /** The image the stack's task definition runs (cutover's releases replace it with a digest of the ECR repository). */
  readonly image: ecs.ContainerImage;
  /** Repositories the tasks pull released images from. */
  readonly pullFrom: readonly ecr.IRepository[];
  /** The security group of the load balancer: the only source of traffic to the tasks. */
  readonly loadBalancerSecurityGroup: ec2.ISecurityGroup;
  readonly blueTargetGroup: elbv2.IApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.IApplicationTargetGroup;
  /** The container's name. @default 'web' */
  readonly containerName?: string;
  /** The container's port. @default 8080 */
  readonly containerPort?: number;
  /** Tasks of the live colour (blue). @default 2 */
  readonly desiredCount?: number;
}

/**
 * The ECS side of the example: a cluster, one task definition (container `web` on port 8080, awslogs) and two Fargate
 * services, blue (live, `desiredCount` tasks) and green (idle, 0 tasks), each registering in its own target group.
 * Tasks run in public subnets with a public IP (no NAT gateway, see ExampleServiceNetwork) and accept traffic from the
 * load balancer only.
 */
export class ExampleServiceCompute extends Construct {
  public readonly cluster: ecs.Cluster;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly blueService: ecs.FargateService;
  public readonly greenService: ecs.FargateService;
  public readonly logGroup: logs.LogGroup;
  public readonly containerName: string;

  constructor(scope: Construct, id: string, props: ExampleServiceComputeProps) {
    super(scope, id);
    this.containerName = props.containerName ?? 'web';
    const containerPort = props.containerPort ?? 8080;
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: props.vpc, clusterName: props.clusterName, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    const executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: props.executionRoleName,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `${props.taskDefinitionFamily}: pulls the image and writes the container logs`,
    });
    for (const repository of props.pullFrom) repository.grantPull(executionRole);
    const taskRole = new iam.Role(this, 'TaskRole', {
      roleName: props.taskRoleName,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `${props.taskDefinitionFamily}: the application's own permissions (none)`,
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: props.taskDefinitionFamily,
      cpu: 256,
      memoryLimitMiB: 512,
      executionRole,
      taskRole,
    });
    this.taskDefinition.addContainer('Web', {
      containerName: this.containerName,
      image: props.image,
      essential: true,
      portMappings: [{ containerPort, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: this.containerName }),
    });
    // The awslogs driver and ECR authentication need these two on '*': they have no resource-level permissions.
    Validations.of(executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken does not support resource-level permissions; every other ECR and CloudWatch Logs action of the execution role names its repository or log group.',
    });

    const tasks = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: props.vpc,
      description: `${props.clusterName}: the example tasks, reachable from the load balancer only`,
      allowAllOutbound: true,
    });
    tasks.addIngressRule(props.loadBalancerSecurityGroup, ec2.Port.tcp(containerPort), 'from the load balancer');
    props.loadBalancerSecurityGroup.addEgressRule(tasks, ec2.Port.tcp(containerPort), 'to the tasks');

    const service = (serviceId: string, serviceName: string, desiredCount: number, targetGroup: elbv2.IApplicationTargetGroup): ecs.FargateService => {
      const fargate = new ecs.FargateService(this, serviceId, {
        cluster: this.cluster,
        serviceName,
        taskDefinition: this.taskDefinition,
        desiredCount,
        assignPublicIp: true,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        securityGroups: [tasks],
        // Each colour is replaced as a whole by cutover; a stack update keeps full capacity while it rolls.
        minHealthyPercent: 100,
        maxHealthyPercent: 200,
        // A first deploy whose tasks cannot start fails in minutes, not hours; rolling back stays cutover's job.
        circuitBreaker: { enable: true, rollback: false },
      });
      fargate.attachToApplicationTargetGroup(targetGroup);
      return fargate;
    };
    this.blueService = service('BlueService', props.blueServiceName, props.desiredCount ?? 2, props.blueTargetGroup);
    this.greenService = service('GreenService', props.greenServiceName, 0, props.greenTargetGroup);
  }
}
