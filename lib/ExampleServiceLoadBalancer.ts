import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

/** Properties of {@link ExampleServiceLoadBalancer}. */
export interface ExampleServiceLoadBalancerProps {
  readonly vpc: ec2.IVpc;
  /** The ALB's name (cutover's ModifyRule permission is scoped by it). */
  readonly loadBalancerName: string;
  readonly blueTargetGroupName: string;
  readonly greenTargetGroupName: string;
  /** The port the containers listen on. @default 8080 */
  readonly containerPort?: number;
  /** The production listener's port. @default 80 */
  readonly productionPort?: number;
  /** The test listener's port (smoke tests reach the idle colour there). @default 9000 */
  readonly testPort?: number;
  /** The health check path of both target groups. @default '/' */
  readonly healthCheckPath?: string;
}

/**
 * An internet-facing ALB with two listeners. Each forwards through a **rule** (cutover refuses a listener's default
 * action, which ModifyRule cannot change), the default actions answer 404:
 * - production (port 80): a weighted forward, blue 100 / green 0, which cutover shifts;
 * - test (port 9000): forward to green, the idle colour, which cutover points at the idle colour before smoke tests.
 */
export class ExampleServiceLoadBalancer extends Construct {
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
  public readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
  /** The rule whose weights are the source of truth for the live colour. */
  public readonly productionRule: elbv2.ApplicationListenerRule;
  /** The rule smoke tests go through. */
  public readonly testRule: elbv2.ApplicationListenerRule;
  /** The port of the test listener. */
  public readonly testPort: number;
  /** Attached to the ALB; the tasks accept traffic from it only. */
  public readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ExampleServiceLoadBalancerProps) {
    super(scope, id);
    const containerPort = props.containerPort ?? 8080;
    const productionPort = props.productionPort ?? 80;
    this.testPort = props.testPort ?? 9000;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${props.loadBalancerName}: HTTP from the internet on the production and test ports`,
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(productionPort), 'production traffic');
    // cutover's smoke-test Lambda runs outside the VPC, from no fixed address.
    this.securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(this.testPort), 'smoke tests of the idle colour');
    Validations.of(this.securityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason:
        'The example ALB is public on purpose: a new user opens it in a browser, and cutover\'s smoke-test Lambda, which runs outside the VPC from no fixed address, calls the test port. It serves only the example image.',
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      loadBalancerName: props.loadBalancerName,
      securityGroup: this.securityGroup,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
    });
    Validations.of(this.loadBalancer).acknowledge({
      id: 'AwsSolutions-ELB2',
      reason:
        'The example service carries only a new user\'s test traffic; cutover judges a release by the CloudWatch metrics of the target groups (the 5xx-rate and p99-latency alarms), not by access logs, and a log bucket per environment would outlive the example. A real service should enable them.',
    });

    const targetGroup = (groupId: string, targetGroupName: string): elbv2.ApplicationTargetGroup =>
      new elbv2.ApplicationTargetGroup(this, groupId, {
        vpc: props.vpc,
        targetGroupName,
        targetType: elbv2.TargetType.IP,
        protocol: elbv2.ApplicationProtocol.HTTP,
        port: containerPort,
        // Releases should not wait five minutes for connections to drain from a demo.
        deregistrationDelay: Duration.seconds(30),
        healthCheck: { path: props.healthCheckPath ?? '/', interval: Duration.seconds(10), healthyThresholdCount: 2, unhealthyThresholdCount: 3 },
      });
    this.blueTargetGroup = targetGroup('BlueTargetGroup', props.blueTargetGroupName);
    this.greenTargetGroup = targetGroup('GreenTargetGroup', props.greenTargetGroupName);

    const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'no rule matched' });
    const production = this.loadBalancer.addListener('ProductionListener', { port: productionPort, protocol: elbv2.ApplicationProtocol.HTTP, open: false, defaultAction: notFound });
    const test = this.loadBalancer.addListener('TestListener', { port: this.testPort, protocol: elbv2.ApplicationProtocol.HTTP, open: false, defaultAction: notFound });
    this.productionRule = new elbv2.ApplicationListenerRule(this, 'ProductionRule', {
      listener: production,
      priority: 10,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
      action: elbv2.ListenerAction.weightedForward([
        { targetGroup: this.blueTargetGroup, weight: 100 },
        { targetGroup: this.greenTargetGroup, weight: 0 },
      ]),
    });
    this.testRule = new elbv2.ApplicationListenerRule(this, 'TestRule', {
      listener: test,
      priority: 10,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
      action: elbv2.ListenerAction.weightedForward([{ targetGroup: this.greenTargetGroup, weight: 100 }]),
    });
  }
}
