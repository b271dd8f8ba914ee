import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Properties of {@link ExampleServiceNetwork}. */
export interface ExampleServiceNetworkProps {
  /** The VPC's Name tag. */
  readonly vpcName: string;
  /** Availability zones. @default 2 (the ALB needs two) */
  readonly maxAzs?: number;
  /** How long the rejected-traffic flow logs are kept. @default logs.RetentionDays.ONE_MONTH */
  readonly flowLogRetention?: logs.RetentionDays;
}

/**
 * The example's VPC, created (never looked up, so synth stays offline): public subnets only in two AZs and **no NAT
 * gateway**. The Fargate tasks run in the public subnets with a public IP, reachable only from the load balancer's
 * security group, and pull their image from ECR directly: a NAT gateway per AZ would cost more than the whole example.
 */
export class ExampleServiceNetwork extends Construct {
  public readonly vpc: ec2.Vpc;
  /** Rejected traffic of the VPC (AwsSolutions-VPC7). */
  public readonly flowLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ExampleServiceNetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: props.vpcName,
      maxAzs: props.maxAzs ?? 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
    });
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Rejected traffic only: what explains a target that never gets healthy, at a fraction of ALL's volume.
    this.vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup), trafficType: ec2.FlowLogTrafficType.REJECT });
  }
}
