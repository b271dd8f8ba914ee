import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { parseServiceConfig } from '../../lambdas/domain/serviceConfig.ts';
import { readCutoverEnvironments } from '../../lib/cutoverConfig.ts';
import { CutoverStack } from '../../lib/CutoverStack.ts';
import { exampleImageSourceFor } from '../../lib/exampleImageSourceFor.ts';
import { exampleResourceNames } from '../../lib/exampleResourceNames.ts';
import { ExampleServiceStack } from '../../lib/ExampleServiceStack.ts';

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
type Environment = (typeof ENVIRONMENTS)[number];
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

// The shipped cdk.json, every environment, as bin/app.ts builds them (control planes unbundled: only their IAM is read).
let app: App;
const examples = {} as Record<Environment, Template>;
const controlPlanes = {} as Record<Environment, Template>;

beforeAll(() => {
  app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const tryGetContext = (key: string): unknown => app.node.tryGetContext(key);
  const stacks = readCutoverEnvironments(tryGetContext).map((config) => ({
    environment: config.environment as Environment,
    controlPlane: new CutoverStack(app, `Cutover-${config.environment}`, { config }),
    example: new ExampleServiceStack(app, `CutoverExample-${config.environment}`, { config, imageSource: exampleImageSourceFor(config.environment, tryGetContext) }),
  }));
  for (const { environment, controlPlane, example } of stacks) {
    controlPlanes[environment] = Template.fromStack(controlPlane);
    examples[environment] = Template.fromStack(example);
  }
});

/**
 * A CloudFormation value with the tokens a deployment would resolve replaced by realistic values: target group and
 * listener rule ARNs (named after the resource), the ALB's DNS name, the repository URI, pseudo parameters.
 */
function resolveTokens(template: Template, value: unknown): unknown {
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  const refOf = (logicalId: string): string => {
    if (logicalId === 'AWS::Region') return REGION;
    if (logicalId === 'AWS::AccountId') return ACCOUNT;
    if (logicalId === 'AWS::Partition') return 'aws';
    if (logicalId === 'AWS::URLSuffix') return 'amazonaws.com';
    const resource = resources[logicalId];
    if (resource?.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup') return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${String(resource.Properties?.Name)}/0123456789abcdef`;
    if (resource?.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule') return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener-rule/app/lb/50dc6c495c0c9188/f2f7dc8efc522ab2/${logicalId.length.toString(16).padStart(16, '0')}`;
    throw new Error(`cannot resolve Ref ${logicalId} (${resource?.Type ?? 'unknown'})`);
  };
  const resolve = (node: unknown): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    if (Array.isArray(node)) return node.map(resolve);
    const record = node as Record<string, unknown>;
    if (Array.isArray(record['Fn::Join'])) {
      const [delimiter, parts] = record['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => String(resolve(part))).join(delimiter);
    }
    if (typeof record['Ref'] === 'string') return refOf(record['Ref']);
    if (Array.isArray(record['Fn::GetAtt'])) {
      const [logicalId, attribute] = record['Fn::GetAtt'] as [string, string];
      if (resources[logicalId]?.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && attribute === 'DNSName') return `${String(resources[logicalId]?.Properties?.Name)}-1234567890.${REGION}.elb.amazonaws.com`;
      throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
    }
    return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, resolve(child)]));
  };
  return resolve(value);
}

/** The example service's configuration as its SSM parameter would hold it once deployed, parsed by cutover's own schema. */
function deployedConfigOf(environment: Environment): ReturnType<typeof parseServiceConfig> {
  const template = examples[environment];
  const parameters = template.findResources('AWS::SSM::Parameter', { Properties: { Name: `/cutover/${environment}/services/example` } });
  const [parameter] = Object.values(parameters);
  const text = resolveTokens(template, parameter?.['Properties'].Value);
  return parseServiceConfig(`/cutover/${environment}/services/example`, String(text));
}

/** Every identity-policy statement of a template granting `action`, its resources as globs with the pseudo parameters resolved. */
function resourcePatternsFor(template: Template, action: string): RegExp[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    (policy['Properties'].PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Effect: string }[])
      .filter((statement) => statement.Effect === 'Allow' && [statement.Action].flat().includes(action))
      .flatMap((statement) => [statement.Resource].flat())
      .map((resource) => String(resolveTokens(template, resource)))
      .map((glob) => new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)),
  );
}

describe('Stack: ExampleServiceStack', () => {
  it.each(ENVIRONMENTS)('names every resource of %s after the environment', (environment) => {
    const template = examples[environment];
    const names = exampleResourceNames(environment);
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: `${environment}-example` });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Family: `${environment}-example` });
    template.hasResourceProperties('AWS::ECS::Service', { ServiceName: `${environment}-example-blue` });
    template.hasResourceProperties('AWS::ECS::Service', { ServiceName: `${environment}-example-green` });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Name: `${environment}-example`, Scheme: 'internet-facing' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${environment}-example-5xx-rate` });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${environment}-example-p99-latency` });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: names.taskRoleName });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: names.executionRoleName });
  });

  it.each(ENVIRONMENTS)("lies inside the %s control plane's IAM, and outside the other environments'", (environment) => {
    const names = exampleResourceNames(environment);
    const arn = (service: string, resource: string): string => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
    const needs: Record<string, string[]> = {
      'ecs:UpdateService': [arn('ecs', `service/${names.clusterName}/${names.blueServiceName}`), arn('ecs', `service/${names.clusterName}/${names.greenServiceName}`)],
      'elasticloadbalancing:ModifyRule': [arn('elasticloadbalancing', `listener-rule/app/${names.loadBalancerName}/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`)],
      'cloudwatch:DescribeAlarms': [arn('cloudwatch', `alarm:${names.errorRateAlarmName}`), arn('cloudwatch', `alarm:${names.latencyAlarmName}`)],
      'ecs:RunTask': [arn('ecs', `task-definition/${names.taskDefinitionFamily}:7`)],
      'iam:PassRole': [`arn:aws:iam::${ACCOUNT}:role/${names.taskRoleName}`, `arn:aws:iam::${ACCOUNT}:role/${names.executionRoleName}`],
    };
    const covered = (template: Template, action: string, resource: string): boolean => resourcePatternsFor(template, action).some((pattern) => pattern.test(resource));

    for (const [action, resources] of Object.entries(needs)) {
      for (const resource of resources) {
        expect(covered(controlPlanes[environment], action, resource), `${environment} control plane: ${action} on ${resource}`).toBe(true);
        for (const other of ENVIRONMENTS.filter((candidate) => candidate !== environment)) {
          expect(covered(controlPlanes[other], action, resource), `${other} control plane: ${action} on ${resource}`).toBe(false);
        }
      }
    }
  });

  it('forwards production traffic through a weighted rule, blue 100 / green 0, not through the default action', () => {
    const template = examples.dev;
    const groups = template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup');
    const idOf = (name: string): string => Object.entries(groups).find(([, group]) => group['Properties'].Name === name)?.[0] ?? 'missing';
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Actions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: { Ref: idOf('dev-example-blue') }, Weight: 100 },
              { TargetGroupArn: { Ref: idOf('dev-example-green') }, Weight: 0 },
            ],
          },
        },
      ],
    });
    template.allResourcesProperties('AWS::ElasticLoadBalancingV2::Listener', { DefaultActions: [Match.objectLike({ Type: 'fixed-response' })] });
  });

  it('has a production listener on port 80 and a test listener on another port, each with one rule', () => {
    const template = examples.dev;
    const listeners = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener')).map((listener) => listener['Properties'].Port as number);
    expect(listeners.sort((a, b) => a - b)).toEqual([80, 9000]);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 2);
  });

  it('runs blue with two tasks and green with none, each colour registered in its own target group', () => {
    const template = examples.dev;
    const services = Object.values(template.findResources('AWS::ECS::Service')).map((service) => ({
      name: service['Properties'].ServiceName as string,
      desiredCount: service['Properties'].DesiredCount as number,
      targetGroup: JSON.stringify(service['Properties'].LoadBalancers[0].TargetGroupArn),
      launchType: service['Properties'].LaunchType as string,
    }));
    expect(services.map(({ name, desiredCount, launchType }) => ({ name, desiredCount, launchType }))).toEqual([
      { name: 'dev-example-blue', desiredCount: 2, launchType: 'FARGATE' },
      { name: 'dev-example-green', desiredCount: 0, launchType: 'FARGATE' },
    ]);
    expect(services[0]?.targetGroup).not.toBe(services[1]?.targetGroup);
  });

  it('runs one container web on port 8080 logging with awslogs', () => {
    examples.dev.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      ContainerDefinitions: [Match.objectLike({ Name: 'web', PortMappings: [Match.objectLike({ ContainerPort: 8080 })], LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }) })],
    });
    expect(examples.dev.toJSON().Resources).not.toHaveProperty('TaskDefinitionWebAssetImage');
  });

  it('creates a two-AZ VPC with public subnets only and no NAT gateway', () => {
    examples.dev.resourceCountIs('AWS::EC2::NatGateway', 0);
    examples.dev.resourceCountIs('AWS::EC2::Subnet', 2);
    examples.dev.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
  });

  it('creates the ECR repository in dev only; staging and prod pull the promoted digest from it', () => {
    examples.dev.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'dev-example', ImageTagMutability: 'IMMUTABLE' });
    for (const environment of ['staging', 'prod'] as const) {
      examples[environment].resourceCountIs('AWS::ECR::Repository', 0);
      const pull = resourcePatternsFor(examples[environment], 'ecr:BatchGetImage');
      expect(pull.some((pattern) => pattern.test(`arn:aws:ecr:${REGION}:${ACCOUNT}:repository/dev-example`))).toBe(true);
    }
  });

  it.each(ENVIRONMENTS)('writes a %s service configuration that cutover accepts, naming the stack resources', (environment) => {
    // Act
    const config = deployedConfigOf(environment);

    // Assess
    expect(config).toMatchObject({
      cluster: `${environment}-example`,
      containerName: 'web',
      blue: { serviceName: `${environment}-example-blue`, targetGroupArn: expect.stringContaining(`:targetgroup/${environment}-example-blue/`) },
      green: { serviceName: `${environment}-example-green`, targetGroupArn: expect.stringContaining(`:targetgroup/${environment}-example-green/`) },
      alarmNames: [`${environment}-example-5xx-rate`, `${environment}-example-p99-latency`],
      smokeTests: [expect.objectContaining({ url: `http://${environment}-example-1234567890.${REGION}.elb.amazonaws.com:9000/`, expectStatus: 200 })],
    });
    expect(config.productionListenerRuleArn).not.toBe(config.testListenerRuleArn);
  });

  it('releases dev on a push of main-*, and staging and prod only by promotion, prod after an approval', () => {
    const [dev, staging, prod] = ENVIRONMENTS.map(deployedConfigOf);
    expect(dev).toMatchObject({ triggers: [{ repository: 'dev-example', tagPattern: 'main-*' }], promotion: 'auto' });
    expect(staging).toMatchObject({ triggers: [], promotion: 'auto' });
    expect(prod).toMatchObject({ triggers: [], promotion: 'approval' });
    // onPromotion releases only images from repositories the service names.
    expect(dev?.promotionRepositories).toBeUndefined();
    for (const promoted of [staging, prod]) expect(promoted?.promotionRepositories).toEqual([`${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/dev-example`]);
  });

  it('sends release notifications to the Slack channel it is given', () => {
    // Prepare
    const other = new App({ context: { ...cdkJson.context } });
    const [config] = readCutoverEnvironments((key) => (key === 'environment' ? 'dev' : other.node.tryGetContext(key)));
    if (config === undefined) throw new Error('cdk.json has no dev environment');

    // Act
    const template = Template.fromStack(new ExampleServiceStack(other, 'CutoverExample-dev', { config, slackChannel: 'C0123ABCD' }));

    // Assess
    const [parameter] = Object.values(template.findResources('AWS::SSM::Parameter'));
    const text = String(resolveTokens(template, parameter?.['Properties'].Value));
    expect(parseServiceConfig('/cutover/dev/services/example', text).slack).toEqual({ channel: 'C0123ABCD' });
  });

  it('reports no unacknowledged AwsSolutions finding', () => {
    // cdk-nag 3 is a policy-validation plugin: findings are a report, not annotations.
    const report = new AwsSolutionsChecks().validateScope(app);

    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});
