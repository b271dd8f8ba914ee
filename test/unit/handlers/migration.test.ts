import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListTasksCommand, RunTaskCommand, StopTaskCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';
import { releaseContextFixture, releaseStateFixture } from '../../support/releaseStateFixture.ts';

process.env.TABLE_NAME = 'cutover-table';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler: runMigration } = await import('../../../lambdas/handlers/runMigration.ts');
const { handler: onTaskStopped } = await import('../../../lambdas/handlers/onTaskStopped.ts');
const { handler: gateFailed } = await import('../../../lambdas/handlers/gateFailed.ts');

const DIGEST = `sha256:${'a'.repeat(64)}`;
const NEW_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8';
const TASK = 'arn:aws:ecs:eu-west-1:123456789012:task/prod-cluster/0123456789abcdef0123456789abcdef';
const release = releaseContextFixture({ migration: { command: ['npm', 'run', 'migrate'], timeoutSeconds: 600 } });

describe('Function: handler (runMigration, onTaskStopped, gateFailed)', () => {
  const ecs = mockClient(ECSClient);
  const ddb = mockClient(DynamoDBDocumentClient);
  const sfn = mockClient(SFNClient);
  const elbv2 = mockClient(ElasticLoadBalancingV2Client);

  afterEach(() => {
    ecs.reset();
    ddb.reset();
    sfn.reset();
    elbv2.reset();
  });

  it('runs the migration task in the live service\'s network after recording the run and its token', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({});
    ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: { taskDefinitionArn: NEW_TD, containerDefinitions: [{ name: 'app', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } } }] },
    });
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'web-blue',
          status: 'ACTIVE',
          launchType: 'FARGATE',
          platformVersion: 'LATEST',
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
        },
      ],
    });
    ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK }] });

    // Act
    const result = await runMigration({ taskToken: 'token-1', timeoutSeconds: 600, phase: 'pre', state: releaseStateFixture({ release, step: undefined }) }, lambdaContextFixture());

    // Assess
    expect(result).toMatchObject({ outcome: 'Started', taskArn: TASK });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => `${item.Put?.Item?.pk} ${item.Put?.Item?.sk}`)).toEqual([`MIGRATION#prod#web#${DIGEST} pre`, `MIGRATIONRUN#${result.outcome === 'Started' ? result.runId : ''} TOKEN`]);
    expect(items[1]?.Put?.Item).toMatchObject({ taskToken: 'token-1', expiresAt: Math.floor(Date.parse(items[1]?.Put?.Item?.endsAt as string) / 1000) + 600 + 86_400 });
    expect(ecs).toHaveReceivedCommandWith(RunTaskCommand, {
      cluster: 'prod-cluster',
      taskDefinition: NEW_TD,
      count: 1,
      startedBy: expect.stringMatching(/^cutover-migration-[0-9a-f-]{36}$/),
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      overrides: { containerOverrides: [{ name: 'app', command: ['npm', 'run', 'migrate'] }] },
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { UpdateExpression: 'SET taskArn = :taskArn' });
  });

  it('fails the waiting task with MigrationFailed when the migration exits non-zero', async () => {
    // Prepare
    ddb.on(GetCommand, { Key: { pk: 'MIGRATIONRUN#run-1', sk: 'TOKEN' } }).resolves({
      Item: { pk: 'MIGRATIONRUN#run-1', sk: 'TOKEN', environment: 'prod', service: 'web', digest: DIGEST, phase: 'pre', runId: 'run-1', taskToken: 'token-1', releaseId: 'rel-1', executionArn: 'x', containerName: 'app', endsAt: '2025-01-01T00:20:00.000Z' },
    });
    sfn.on(SendTaskFailureCommand).resolves({});

    // Act
    const result = await onTaskStopped(
      { 'detail-type': 'ECS Task State Change', detail: { taskArn: TASK, lastStatus: 'STOPPED', startedBy: 'cutover-migration-run-1', containers: [{ name: 'app', exitCode: 3 }] } },
      lambdaContextFixture(),
    );

    // Assess
    expect(result).toEqual({ taskArn: TASK, action: 'failed', delivered: true });
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, {
      taskToken: 'token-1',
      error: 'MigrationFailed',
      cause: `migration task ${TASK}: container app exited with code 3; no CloudWatch Logs: container app does not use the awslogs driver`,
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { Key: { pk: `MIGRATION#prod#web#${DIGEST}`, sk: 'pre' }, ExpressionAttributeValues: expect.objectContaining({ ':status': 'Failed', ':exitCode': 3 }) });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: 'MIGRATIONRUN#run-1', sk: 'TOKEN' } });
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('stops the migration task after a timeout, scales the idle colour to 0 and never modifies a listener rule', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { pk: 'RELEASE#prod#web', sk: release.ledgerSortKey } }).resolves({ Item: { outcome: 'InProgress' } });
    ddb.on(GetCommand, { Key: { pk: `MIGRATION#prod#web#${DIGEST}`, sk: 'pre' } }).resolves({
      Item: { environment: 'prod', service: 'web', digest: DIGEST, phase: 'pre', status: 'Running', runId: 'run-1', releaseId: 'rel-1', cluster: 'prod-cluster', containerName: 'app', startedAt: 'x' },
    });
    ddb.on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } }).resolves({ Item: { executionArn: release.executionArn } });
    ddb.on(TransactWriteCommand).resolves({});
    ecs.on(ListTasksCommand).resolves({ taskArns: [TASK] });

    // Act
    const result = await gateFailed(
      releaseStateFixture({ release, step: undefined, gate: { name: 'migration' }, error: { Error: 'States.Timeout', Cause: '' } }),
      lambdaContextFixture(),
    );

    // Assess
    expect(result.error).toBe('MigrationFailed');
    expect(ecs).toHaveReceivedCommandWith(ListTasksCommand, { cluster: 'prod-cluster', startedBy: 'cutover-migration-run-1', desiredStatus: 'RUNNING' });
    expect(ecs).toHaveReceivedCommandWith(StopTaskCommand, { cluster: 'prod-cluster', task: TASK, reason: 'cutover: the migration did not finish within its timeout of 600 s' });
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: 'prod-cluster', service: 'web-green', desiredCount: 0 });
    expect(elbv2).not.toHaveReceivedCommand(ModifyRuleCommand);
  });
});
