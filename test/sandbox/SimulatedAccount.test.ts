import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { SFNClient, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReleaseTable } from '../../lambdas/adapters/ReleaseTable.ts';
import type { LedgerRecord, LockRecord } from '../../lambdas/domain/ports.ts';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { seedExampleService } from '../../sandbox/account/seedExampleService.ts';

const lockOf = (executionArn: string): LockRecord => ({ service: 'web', environment: 'prod', releaseId: executionArn.slice(-1), executionArn, acquiredAt: '2025-06-02T09:00:00.000Z' });
const ledgerOf = (lock: LockRecord): LedgerRecord => ({
  releaseId: lock.releaseId,
  executionArn: lock.executionArn,
  service: 'web',
  environment: 'prod',
  imageRepository: 'web',
  imageDigest: `sha256:${'a'.repeat(64)}`,
  imageUri: `web@sha256:${'a'.repeat(64)}`,
  fromColor: 'blue',
  toColor: 'green',
  fromTaskDefinition: 'web:1',
  requestedBy: 'ci',
  outcome: 'InProgress',
  startedAt: lock.acquiredAt,
});

describe('Class: SimulatedAccount', () => {
  const account = new SimulatedAccount();

  beforeAll(() => {
    account.install();
  });

  afterAll(() => {
    account.uninstall();
  });

  beforeEach(() => {
    account.reset();
  });

  it('answers the document client of the ReleaseTable adapter through the low-level table', async () => {
    // Prepare
    const table = new ReleaseTable(DynamoDBDocumentClient.from(new DynamoDBClient({})), account.tableName);
    const first = lockOf('arn:aws:states:eu-west-1:123456789012:execution:release:a');
    const second = lockOf('arn:aws:states:eu-west-1:123456789012:execution:release:b');

    // Act
    const taken = await table.acquireLock(first, ledgerOf(first));
    const refused = await table.acquireLock(second, ledgerOf(second));

    // Assess
    expect(taken).toEqual({ acquired: true });
    expect(refused).toEqual({ acquired: false, holder: first });
    const write = account.calls('TransactWriteItems')[0];
    expect((write?.input.TransactItems as { Put: { Item: Record<string, unknown> } }[])[0]?.Put.Item.pk).toEqual({ S: 'LOCK#prod#web' });
    expect(account.calls('TransactWriteItems')[1]?.error).toBe('TransactionCanceledException');
  });

  it('throttles the next calls of an operation with a retryable throttling error', async () => {
    // Prepare
    seedExampleService(account);
    account.throttle('GetParameter', 1);
    const ssm = new SSMClient({});

    // Act
    const throttled = ssm.send(new GetParameterCommand({ Name: '/cutover/prod/services/web' }));
    await expect(throttled).rejects.toMatchObject({ name: 'ThrottlingException', $fault: 'client', $retryable: { throttling: true }, $metadata: expect.objectContaining({ httpStatusCode: 429 }) });
    const answered = await ssm.send(new GetParameterCommand({ Name: '/cutover/prod/services/web' }));

    // Assess
    expect(JSON.parse(answered.Parameter?.Value ?? '{}')).toMatchObject({ containerName: 'web' });
    expect(account.calls('GetParameter').map((call) => call.error)).toEqual(['ThrottlingException', undefined]);
  });

  it('reports an unknown service as MISSING and an unknown cluster as ClusterNotFoundException', async () => {
    // Prepare
    const example = seedExampleService(account);
    const ecs = new ECSClient({});

    // Act
    const output = await ecs.send(new DescribeServicesCommand({ cluster: example.clusterName, services: ['web-blue', 'nope'] }));
    const unknownCluster = ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['web-blue'] }));

    // Assess
    expect(output.services?.map((service) => [service.serviceName, service.runningCount])).toEqual([['web-blue', 2]]);
    expect(output.failures).toEqual([expect.objectContaining({ reason: 'MISSING' })]);
    await expect(unknownCluster).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
  });

  it('answers an unknown task token with TaskDoesNotExist and a malformed one with InvalidToken', async () => {
    // Prepare
    const sfn = new SFNClient({});
    const unknown = account.sfn.mintToken('arn:aws:states:eu-west-1:123456789012:execution:release:x');

    // Act
    const unknownAnswer = sfn.send(new SendTaskSuccessCommand({ taskToken: unknown, output: '{}' }));
    const malformedAnswer = sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' }));

    // Assess
    await expect(unknownAnswer).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    await expect(malformedAnswer).rejects.toMatchObject({ name: 'InvalidToken' });
  });
});
