import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

process.env.TABLE_NAME = 'cutover-table';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler } = await import('../../../lambdas/handlers/rollback.ts');

describe('Function: handler (rollback)', () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const ecs = mockClient(ECSClient);
  const ddb = mockClient(DynamoDBDocumentClient);

  afterEach(() => {
    elb.reset();
    ecs.reset();
    ddb.reset();
  });

  it('sends the stable colour back to 100 before scaling the idle colour down and recording the outcome', async () => {
    // Prepare
    const order: string[] = [];
    const state = releaseStateFixture({ error: { Error: 'AlarmFired', Cause: 'alarm web-5xx went to ALARM at t: high' } });
    elb.on(ModifyRuleCommand).callsFake(() => {
      order.push('ModifyRule');
      return {};
    });
    ecs.on(UpdateServiceCommand).callsFake(() => {
      order.push('UpdateService');
      return {};
    });
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } }).resolves({ Item: { executionArn: state.release.executionArn } });
    ddb.on(GetCommand, { Key: { pk: 'BAKE#prod#web', sk: 'CURRENT' } }).resolves({});
    ddb.on(TransactWriteCommand).callsFake(() => {
      order.push('TransactWrite');
      return {};
    });

    // Act
    const result = await handler(state, lambdaContextFixture());

    // Assess
    expect(order).toEqual(['ModifyRule', 'UpdateService', 'TransactWrite']);
    expect(elb).toHaveReceivedCommandWith(ModifyRuleCommand, {
      RuleArn: state.release.productionListenerRuleArn,
      Actions: [
        { Type: 'authenticate-oidc', Order: 1 },
        {
          Type: 'forward',
          Order: 2,
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: state.release.stable.targetGroupArn, Weight: 100 },
              { TargetGroupArn: state.release.idle.targetGroupArn, Weight: 0 },
            ],
            TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 },
          },
        },
      ],
    });
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: 'prod-cluster', service: 'web-green', desiredCount: 0 });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items?.[0]?.Update?.ExpressionAttributeValues).toMatchObject({ ':outcome': 'RolledBack', ':cause': 'AlarmFired: alarm web-5xx went to ALARM at t: high' });
    expect(items?.[1]?.Delete?.Key).toEqual({ pk: 'LOCK#prod#web', sk: 'LOCK' });
    expect(result).toMatchObject({ outcome: 'RolledBack', cause: 'AlarmFired: alarm web-5xx went to ALARM at t: high' });
  });

  it('fails without scaling down when the weights cannot be restored', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({});
    elb.on(ModifyRuleCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));

    // Act & Assess
    await expect(handler(releaseStateFixture(), lambdaContextFixture())).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});
