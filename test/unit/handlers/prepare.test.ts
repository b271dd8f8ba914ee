import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
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
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:cutover-release:rel-2';
const OTHER_EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:cutover-release:rel-1';
const config = {
  cluster: 'main',
  containerName: 'app',
  blue: { serviceName: 'orders-blue', targetGroupArn: BLUE_TG },
  green: { serviceName: 'orders-green', targetGroupArn: GREEN_TG },
  productionListenerRuleArn: RULE,
  alarmNames: ['orders-5xx'],
};
const event = {
  input: { service: 'orders', environment: 'prod', image: { repository: 'orders', digest: DIGEST } },
  executionArn: EXECUTION,
  executionName: 'rel-2',
  startTime: '2025-03-01T12:00:00.000Z',
};

const service = (serviceName: string, desiredCount: number) => ({
  serviceName,
  serviceArn: `arn:aws:ecs:eu-west-1:123456789012:service/main/${serviceName}`,
  status: 'ACTIVE',
  taskDefinition: `arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:${desiredCount > 0 ? 7 : 6}`,
  desiredCount,
  runningCount: desiredCount,
  pendingCount: 0,
  deployments: [],
});

describe('Function: handler (prepare)', () => {
  const ssm = mockClient(SSMClient);
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const ecs = mockClient(ECSClient);
  const cloudWatch = mockClient(CloudWatchClient);
  const dynamo = mockClient(DynamoDBDocumentClient);
  const sfn = mockClient(SFNClient);
  const ecr = mockClient(ECRClient);

  beforeEach(() => {
    ssm.on(GetParameterCommand, { Name: '/cutover/prod/services/orders' }).resolves({ Parameter: { Value: JSON.stringify(config) } });
    elb.on(DescribeRulesCommand).resolves({
      Rules: [
        {
          RuleArn: RULE,
          Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE_TG, Weight: 100 }, { TargetGroupArn: GREEN_TG, Weight: 0 }] } }],
        },
      ],
    });
    ecs.on(DescribeServicesCommand).resolves({ services: [service('orders-blue', 2), service('orders-green', 0)] });
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'orders-5xx', StateValue: 'OK' }] });
    dynamo.on(TransactWriteCommand).resolves({});
    // No lock held: GetItem finds nothing.
    dynamo.on(GetCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [] });
  });

  afterEach(() => {
    for (const mock of [ssm, elb, ecs, cloudWatch, dynamo, sfn, ecr]) mock.reset();
  });

  it('returns the release context and writes the lock and ledger record in one transaction', async () => {
    // Act
    const result = await handler(event, lambdaContextFixture());

    // Assess
    expect(result.release).toMatchObject({
      releaseId: 'rel-2',
      stable: { color: 'blue', serviceName: 'orders-blue', desiredCount: 2 },
      idle: { color: 'green', serviceName: 'orders-green' },
      image: { imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@${DIGEST}` },
    });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => item.Put?.Item?.pk)).toEqual(['LOCK#prod#orders', 'RELEASE#prod#orders']);
    expect(items.every((item) => item.Put?.TableName === 'cutover-test')).toBe(true);
    expect(items[1]?.Put?.Item).toMatchObject({ sk: '2025-03-01T12:00:00.000Z#rel-2', outcome: 'InProgress', fromColor: 'blue', toColor: 'green' });
  });

  it('throws InvalidServiceConfig without writing to DynamoDB or changing the rule for an invalid configuration', async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify({ ...config, cluster: '' }) } });

    // Act & Assess
    await expect(handler(event, lambdaContextFixture())).rejects.toThrow(expect.objectContaining({ name: 'InvalidServiceConfig' }));
    expect(dynamo.calls()).toHaveLength(0);
    expect(elb.calls()).toHaveLength(0);
  });

  it('resolves a tag with ECR DescribeImages and pins the release to its digest', async () => {
    // Prepare
    ecr.on(DescribeImagesCommand, { repositoryName: 'orders', imageIds: [{ imageTag: 'v7' }] }).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
    const tagged = { ...event, input: { ...event.input, image: { repository: 'orders', tag: 'v7' } } };

    // Act
    const result = await handler(tagged, lambdaContextFixture());

    // Assess
    expect(result.release.image).toEqual({ repository: 'orders', digest: DIGEST, imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@${DIGEST}` });
    expect(ecr).toHaveReceivedCommandTimes(DescribeImagesCommand, 1);
  });

  it('throws InvalidReleaseInput naming image.tag for a missing tag, before it reads the configuration', async () => {
    // Prepare
    ecr.on(DescribeImagesCommand).rejects(Object.assign(new Error('The image requested does not exist'), { name: 'ImageNotFoundException' }));
    const tagged = { ...event, input: { ...event.input, image: { repository: 'orders', tag: 'v404' } } };

    // Act & Assess
    await expect(handler(tagged, lambdaContextFixture())).rejects.toThrow(expect.objectContaining({ name: 'InvalidReleaseInput', message: 'image.tag: orders has no image tagged v404' }));
    expect(ssm.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('throws ReleaseQueued, without trying to write, when a running execution holds the lock and onBusy is the default', async () => {
    // Prepare
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }),
    );
    dynamo.on(GetCommand).resolves({
      Item: { pk: 'LOCK#prod#orders', sk: 'LOCK', service: 'orders', environment: 'prod', releaseId: 'rel-1', executionArn: OTHER_EXECUTION, acquiredAt: '2025-03-01T11:00:00.000Z' },
    });
    sfn.on(DescribeExecutionCommand, { executionArn: OTHER_EXECUTION }).resolves({ status: 'RUNNING' });

    // Act & Assess
    await expect(handler(event, lambdaContextFixture())).rejects.toThrow(expect.objectContaining({ name: 'ReleaseQueued', message: expect.stringContaining('rel-1') }));
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });
});
