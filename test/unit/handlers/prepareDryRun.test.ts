import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';

vi.hoisted(() => {
  process.env.TABLE_NAME = 'cutover-test';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const { handler } = await import('../../../lambdas/handlers/prepare.ts');

const DIGEST = `sha256:${'e'.repeat(64)}`;
const RULE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/0123456789abcdef/0123456789abcdef/0123456789abcdef';
const BLUE_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-blue/0123456789abcdef';
const GREEN_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-green/fedcba9876543210';
const config = {
  cluster: 'main',
  containerName: 'app',
  blue: { serviceName: 'orders-blue', targetGroupArn: BLUE_TG },
  green: { serviceName: 'orders-green', targetGroupArn: GREEN_TG },
  productionListenerRuleArn: RULE,
  alarmNames: ['orders-5xx'],
};
const dryRunEvent = {
  input: { service: 'orders', environment: 'prod', image: { repository: 'orders', digest: DIGEST }, dryRun: true },
  executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:cutover-release:plan-1',
  executionName: 'plan-1',
  startTime: '2025-03-01T12:00:00.000Z',
};
const service = (serviceName: string, desiredCount: number) => ({
  serviceName,
  status: 'ACTIVE',
  taskDefinition: `arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:7`,
  desiredCount,
  runningCount: desiredCount,
  pendingCount: 0,
  deployments: [],
});

/** The read-only calls a dry run may make; any other command is a change. */
const READ_ONLY = /^(Get|Describe|List|Query)/;

describe('Function: handler (prepare, dry run)', () => {
  const ssm = mockClient(SSMClient);
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const ecs = mockClient(ECSClient);
  const cloudWatch = mockClient(CloudWatchClient);
  const dynamo = mockClient(DynamoDBDocumentClient);
  const mocks = [ssm, elb, ecs, cloudWatch, dynamo];
  const commandNames = (): string[] => mocks.flatMap((mock) => mock.calls().map((call) => (call.args[0] as object).constructor.name));

  beforeEach(() => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(config) } });
    elb.on(DescribeRulesCommand).resolves({
      Rules: [{ RuleArn: RULE, Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE_TG, Weight: 100 }, { TargetGroupArn: GREEN_TG, Weight: 0 }] } }] }],
    });
    ecs.on(DescribeServicesCommand).resolves({ services: [service('orders-blue', 2), service('orders-green', 0)] });
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'orders-5xx', StateValue: 'OK' }] });
    dynamo.on(GetCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [] });
  });

  afterEach(() => {
    for (const mock of mocks) mock.reset();
  });

  it('returns the plan step by step and makes only read calls', async () => {
    // Act
    const result = await handler(dryRunEvent, lambdaContextFixture());

    // Assess
    expect(result.release.dryRun).toBe(true);
    expect(result.plan).toMatchObject({ dryRun: true, liveColor: 'blue', idleColor: 'green', imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@${DIGEST}` });
    expect(result.plan?.steps[0]).toBe('1. take the release lock of prod/orders');
    expect(result.plan?.steps.at(-1)).toMatch(/scale orders-blue \(blue\) to 0/);
    const calls = commandNames();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((name) => !READ_ONLY.test(name))).toEqual([]);
  });

  it('reports the release that holds the lock instead of queueing behind it', async () => {
    // Prepare
    dynamo.on(GetCommand, { Key: { pk: 'LOCK#prod#orders', sk: 'LOCK' } }).resolves({
      Item: { pk: 'LOCK#prod#orders', sk: 'LOCK', service: 'orders', environment: 'prod', releaseId: 'rel-1', executionArn: 'arn:x', acquiredAt: '2025-03-01T11:00:00.000Z' },
    });

    // Act
    const result = await handler(dryRunEvent, lambdaContextFixture());

    // Assess
    expect(result.plan?.lockHeldBy).toEqual({ releaseId: 'rel-1', executionArn: 'arn:x', acquiredAt: '2025-03-01T11:00:00.000Z' });
    expect(commandNames().filter((name) => !READ_ONLY.test(name))).toEqual([]);
  });

  it('catches a missing alarm before anything would change', async () => {
    // Prepare
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });

    // Act
    const attempt = handler(dryRunEvent, lambdaContextFixture());

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidServiceConfig', message: expect.stringContaining('orders-5xx') });
    expect(commandNames().filter((name) => !READ_ONLY.test(name))).toEqual([]);
  });

  it('catches a production rule ARN that names no rule', async () => {
    // Prepare
    const error = Object.assign(new Error('rule not found'), { name: 'RuleNotFoundException' });
    elb.on(DescribeRulesCommand).rejects(error);

    // Act
    const attempt = handler(dryRunEvent, lambdaContextFixture());

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidServiceConfig', message: expect.stringContaining('productionListenerRuleArn') });
  });
});
