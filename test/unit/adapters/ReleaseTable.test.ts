import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ReleaseTable } from '../../../lambdas/adapters/ReleaseTable.ts';
import type { BakeTokenRecord, LedgerRecord, LockRecord } from '../../../lambdas/domain/ports.ts';

const TABLE = 'cutover-table';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:cutover:rel-1';
const OTHER_EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:cutover:rel-0';

const lock: LockRecord = { service: 'web', environment: 'prod', releaseId: 'rel-1', executionArn: EXECUTION, acquiredAt: '2025-01-01T00:00:00.000Z' };
const ledger: LedgerRecord = {
  releaseId: 'rel-1',
  executionArn: EXECUTION,
  service: 'web',
  environment: 'prod',
  imageRepository: 'repo',
  imageDigest: `sha256:${'a'.repeat(64)}`,
  imageUri: `repo@sha256:${'a'.repeat(64)}`,
  fromColor: 'blue',
  toColor: 'green',
  fromTaskDefinition: 'arn:td:1',
  requestedBy: 'alice',
  outcome: 'InProgress',
  startedAt: '2025-01-01T00:00:00.000Z',
};
const bakeToken: BakeTokenRecord = {
  service: 'web',
  environment: 'prod',
  releaseId: 'rel-1',
  executionArn: EXECUTION,
  stepIndex: 1,
  weight: 50,
  manual: false,
  taskToken: 'token-1',
  startedAt: '2025-01-01T00:10:00.000Z',
  endsAt: '2025-01-01T00:20:00.000Z',
};
const completion = {
  environment: 'prod',
  service: 'web',
  ledgerSortKey: '2025-01-01T00:00:00.000Z#rel-1',
  executionArn: EXECUTION,
  releaseId: 'rel-1',
  outcome: 'Succeeded',
  endedAt: '2025-01-01T01:00:00.000Z',
  toTaskDefinition: 'arn:td:2',
} as const;

function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

describe('Class: ReleaseTable', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const table = new ReleaseTable(DynamoDBDocumentClient.from(new DynamoDBClient({})), TABLE);

  afterEach(() => {
    ddb.reset();
  });

  describe('Method: constructor', () => {
    it('throws a clear error at first use when no table name is set', async () => {
      // Prepare
      const unnamed = new ReleaseTable(DynamoDBDocumentClient.from(new DynamoDBClient({})), '');

      // Act & Assess
      await expect(unnamed.getLock('prod', 'web')).rejects.toThrow('the cutover table has no name: set TABLE_NAME');
      expect(ddb).not.toHaveReceivedAnyCommand();
    });
  });

  describe('Method: acquireLock', () => {
    it('writes the lock and the ledger record in one transaction', async () => {
      // Prepare
      ddb.on(TransactWriteCommand).resolves({});

      // Act
      const attempt = await table.acquireLock(lock, ledger);

      // Assess
      expect(attempt).toEqual({ acquired: true });
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
      expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
        TransactItems: [
          {
            Put: {
              TableName: TABLE,
              Item: { pk: 'LOCK#prod#web', sk: 'LOCK', ...lock },
              ConditionExpression: 'attribute_not_exists(pk) OR executionArn = :me',
              ExpressionAttributeValues: { ':me': EXECUTION },
            },
          },
          { Put: { TableName: TABLE, Item: { pk: 'RELEASE#prod#web', sk: '2025-01-01T00:00:00.000Z#rel-1', ...ledger } } },
        ],
      });
    });

    it('conditions the lock on the previous holder when taking over', async () => {
      // Prepare
      ddb.on(TransactWriteCommand).resolves({});

      // Act
      await table.acquireLock(lock, ledger, OTHER_EXECUTION);

      // Assess
      const input = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input;
      expect(input?.TransactItems?.[0]?.Put).toMatchObject({
        ConditionExpression: 'executionArn = :previous',
        ExpressionAttributeValues: { ':previous': OTHER_EXECUTION },
      });
    });

    it('returns the holder when the lock condition fails', async () => {
      // Prepare
      const holder = { ...lock, releaseId: 'rel-0', executionArn: OTHER_EXECUTION };
      ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
      ddb.on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } }).resolves({ Item: { pk: 'LOCK#prod#web', sk: 'LOCK', ...holder } });

      // Act
      const attempt = await table.acquireLock(lock, ledger);

      // Assess
      expect(attempt).toEqual({ acquired: false, holder });
    });

    it('lets other errors through unchanged', async () => {
      // Prepare
      const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
      ddb.on(TransactWriteCommand).rejects(throttled);

      // Act & Assess
      await expect(table.acquireLock(lock, ledger)).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
      expect(ddb).not.toHaveReceivedCommand(GetCommand);
    });

    it('names a transaction conflict TransactionConflictException, which the state machine retries', async () => {
      // Prepare
      ddb.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));

      // Act & Assess
      await expect(table.acquireLock(lock, ledger)).rejects.toMatchObject({ name: 'TransactionConflictException' });
    });

    it('lets a cancellation for another reason through unchanged', async () => {
      // Prepare
      ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ValidationError'));

      // Act & Assess
      await expect(table.acquireLock(lock, ledger)).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    });
  });

  describe('Method: completeRelease', () => {
    it('updates the ledger and deletes the lock and the current bake this release holds', async () => {
      // Prepare
      ddb.on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } }).resolves({ Item: { pk: 'LOCK#prod#web', sk: 'LOCK', ...lock } });
      ddb.on(GetCommand, { Key: { pk: 'BAKE#prod#web', sk: 'CURRENT' } }).resolves({ Item: { pk: 'BAKE#prod#web', sk: 'CURRENT', ...bakeToken } });
      ddb.on(TransactWriteCommand).resolves({});

      // Act
      await table.completeRelease({ ...completion, cause: 'all good' });

      // Assess
      expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
        TransactItems: [
          {
            Update: {
              TableName: TABLE,
              Key: { pk: 'RELEASE#prod#web', sk: '2025-01-01T00:00:00.000Z#rel-1' },
              UpdateExpression: 'SET #outcome = :outcome, #endedAt = :endedAt, #cause = :cause, #toTaskDefinition = :toTaskDefinition',
              ConditionExpression: 'attribute_exists(pk) AND (#outcome = :inProgress OR #outcome = :outcome)',
              ExpressionAttributeNames: { '#outcome': 'outcome', '#endedAt': 'endedAt', '#cause': 'cause', '#toTaskDefinition': 'toTaskDefinition' },
              ExpressionAttributeValues: {
                ':outcome': 'Succeeded',
                ':endedAt': '2025-01-01T01:00:00.000Z',
                ':cause': 'all good',
                ':toTaskDefinition': 'arn:td:2',
                ':inProgress': 'InProgress',
              },
            },
          },
          {
            Delete: {
              TableName: TABLE,
              Key: { pk: 'LOCK#prod#web', sk: 'LOCK' },
              ConditionExpression: 'executionArn = :me',
              ExpressionAttributeValues: { ':me': EXECUTION },
            },
          },
          {
            Delete: {
              TableName: TABLE,
              Key: { pk: 'BAKE#prod#web', sk: 'CURRENT' },
              ConditionExpression: 'releaseId = :rid',
              ExpressionAttributeValues: { ':rid': 'rel-1' },
            },
          },
        ],
      });
    });

    it('leaves out the deletes of a lock and a bake held by another release', async () => {
      // Prepare
      ddb.on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } }).resolves({ Item: { ...lock, executionArn: OTHER_EXECUTION } });
      ddb.on(GetCommand, { Key: { pk: 'BAKE#prod#web', sk: 'CURRENT' } }).resolves({ Item: { ...bakeToken, releaseId: 'rel-2' } });
      ddb.on(TransactWriteCommand).resolves({});

      // Act
      await table.completeRelease(completion);

      // Assess
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
      expect(items).toHaveLength(1);
      expect(items?.[0]?.Update?.UpdateExpression).toBe('SET #outcome = :outcome, #endedAt = :endedAt, #toTaskDefinition = :toTaskDefinition');
    });

    it('records the contract migration when the release reached it', async () => {
      // Prepare
      ddb.on(GetCommand).resolves({});
      ddb.on(TransactWriteCommand).resolves({});

      // Act
      await table.completeRelease({ ...completion, postPromotionMigration: { outcome: 'Succeeded', releaseId: 'rel-1', exitCode: 0 } });

      // Assess
      const update = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
      expect(update?.UpdateExpression).toBe('SET #outcome = :outcome, #endedAt = :endedAt, #toTaskDefinition = :toTaskDefinition, #postPromotionMigration = :postPromotionMigration');
      expect(update?.ExpressionAttributeNames).toMatchObject({ '#postPromotionMigration': 'postPromotionMigration' });
      expect(update?.ExpressionAttributeValues).toMatchObject({ ':postPromotionMigration': { outcome: 'Succeeded', releaseId: 'rel-1', exitCode: 0 } });
    });

    it('reads again and retries once when a race cancels the transaction', async () => {
      // Prepare
      ddb
        .on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } })
        .resolvesOnce({ Item: lock })
        .resolves({});
      ddb.on(GetCommand, { Key: { pk: 'BAKE#prod#web', sk: 'CURRENT' } }).resolves({});
      ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed')).resolves({});

      // Act
      await table.completeRelease(completion);

      // Assess
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
      expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toHaveLength(2);
      expect(ddb.commandCalls(TransactWriteCommand)[1]?.args[0].input.TransactItems).toHaveLength(1);
    });

    it('throws when the race repeats', async () => {
      // Prepare
      ddb.on(GetCommand).resolves({ Item: lock });
      ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));

      // Act & Assess
      await expect(table.completeRelease(completion)).rejects.toMatchObject({ name: 'TransactionCanceledException' });
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    });

    it('never overwrites the outcome of a release that already ended', async () => {
      // Prepare
      ddb.on(GetCommand, { Key: { pk: 'RELEASE#prod#web', sk: completion.ledgerSortKey } }).resolves({ Item: { ...ledger, outcome: 'RolledBack' } });
      ddb.on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } }).resolves({});
      ddb.on(GetCommand, { Key: { pk: 'BAKE#prod#web', sk: 'CURRENT' } }).resolves({});
      ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed'));

      // Act & Assess
      await expect(table.completeRelease(completion)).rejects.toThrow('already ended as RolledBack, not Succeeded');
    });

    it('throws when the ledger record does not exist', async () => {
      // Prepare
      ddb.on(GetCommand).resolves({});
      ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed'));

      // Act & Assess
      await expect(table.completeRelease(completion)).rejects.toThrow('ledger record RELEASE#prod#web / 2025-01-01T00:00:00.000Z#rel-1 does not exist');
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    });
  });

  describe('Method: registerBake', () => {
    it('writes the current bake and one registration per alarm with the expiry after the bake ends', async () => {
      // Prepare
      ddb.on(TransactWriteCommand).resolves({});
      const expiresAt = Date.parse(bakeToken.endsAt) / 1000 + 86_400;

      // Act
      await table.registerBake(bakeToken, ['web-5xx', 'web-latency'], 86_400);

      // Assess
      expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
        TransactItems: [
          { Put: { TableName: TABLE, Item: { pk: 'BAKE#prod#web', sk: 'CURRENT', ...bakeToken, expiresAt } } },
          { Put: { TableName: TABLE, Item: { pk: 'ALARM#web-5xx', sk: 'TOKEN#rel-1#1', ...bakeToken, alarmName: 'web-5xx', expiresAt } } },
          { Put: { TableName: TABLE, Item: { pk: 'ALARM#web-latency', sk: 'TOKEN#rel-1#1', ...bakeToken, alarmName: 'web-latency', expiresAt } } },
        ],
      });
    });

    it('splits more than 100 writes into several transactions', async () => {
      // Prepare
      ddb.on(TransactWriteCommand).resolves({});
      const alarmNames = Array.from({ length: 120 }, (_, index) => `alarm-${index}`);

      // Act
      await table.registerBake(bakeToken, alarmNames, 60);

      // Assess
      const calls = ddb.commandCalls(TransactWriteCommand);
      expect(calls.map((call) => call.args[0].input.TransactItems?.length)).toEqual([100, 21]);
    });
  });

  describe('Method: bakesForAlarm', () => {
    it('returns every registration across pages with its sort key', async () => {
      // Prepare
      ddb
        .on(QueryCommand)
        .resolvesOnce({ Items: [{ pk: 'ALARM#web-5xx', sk: 'TOKEN#rel-1#1', ...bakeToken, alarmName: 'web-5xx', expiresAt: 1 }], LastEvaluatedKey: { pk: 'ALARM#web-5xx', sk: 'TOKEN#rel-1#1' } })
        .resolvesOnce({ Items: [{ pk: 'ALARM#web-5xx', sk: 'TOKEN#rel-2#0', ...bakeToken, releaseId: 'rel-2', stepIndex: 0, alarmName: 'web-5xx', expiresAt: 1 }] });

      // Act
      const bakes = await table.bakesForAlarm('web-5xx');

      // Assess
      expect(bakes).toEqual([
        { ...bakeToken, sk: 'TOKEN#rel-1#1' },
        { ...bakeToken, releaseId: 'rel-2', stepIndex: 0, sk: 'TOKEN#rel-2#0' },
      ]);
      expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
      expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: { pk: 'ALARM#web-5xx', sk: 'TOKEN#rel-1#1' } });
      expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': 'ALARM#web-5xx', ':prefix': 'TOKEN#' },
        ConsistentRead: true,
      });
    });
  });

  describe('Method: deleteAlarmRegistration', () => {
    it('deletes the registration by its key', async () => {
      // Prepare
      ddb.on(DeleteCommand).resolves({});

      // Act
      await table.deleteAlarmRegistration('web-5xx', 'TOKEN#rel-1#1');

      // Assess
      expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: TABLE, Key: { pk: 'ALARM#web-5xx', sk: 'TOKEN#rel-1#1' } });
    });
  });

  describe('Method: getCurrentBake', () => {
    it('returns the record without the table attributes', async () => {
      // Prepare
      ddb.on(GetCommand).resolves({ Item: { pk: 'BAKE#prod#web', sk: 'CURRENT', ...bakeToken, expiresAt: 123 } });

      // Act
      const bake = await table.getCurrentBake('prod', 'web');

      // Assess
      expect(bake).toEqual(bakeToken);
      expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { pk: 'BAKE#prod#web', sk: 'CURRENT' }, ConsistentRead: true });
    });

    it('returns undefined when there is no current bake', async () => {
      // Prepare
      ddb.on(GetCommand).resolves({});

      // Act
      const bake = await table.getCurrentBake('prod', 'web');

      // Assess
      expect(bake).toBeUndefined();
    });
  });

  describe('Method: getLedgerRecord', () => {
    it('reads the record by its sort key', async () => {
      // Prepare
      ddb.on(GetCommand, { Key: { pk: 'RELEASE#prod#web', sk: '2025-01-01T00:00:00.000Z#rel-1' } }).resolves({ Item: { pk: 'x', sk: 'y', ...ledger } });

      // Act
      const record = await table.getLedgerRecord('prod', 'web', '2025-01-01T00:00:00.000Z#rel-1');

      // Assess
      expect(record).toEqual(ledger);
    });
  });

  describe('Method: recordOperatorAction', () => {
    it('appends the action to the existing ledger record only', async () => {
      // Prepare
      ddb.on(UpdateCommand).resolves({});
      const action = { action: 'promote' as const, actor: 'alice', at: '2025-01-01T00:30:00.000Z', weight: 10 };

      // Act
      await table.recordOperatorAction('prod', 'web', '2025-01-01T00:00:00.000Z#rel-1', action);

      // Assess
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
        TableName: TABLE,
        Key: { pk: 'RELEASE#prod#web', sk: '2025-01-01T00:00:00.000Z#rel-1' },
        UpdateExpression: 'SET #actions = list_append(if_not_exists(#actions, :none), :action)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#actions': 'actions' },
        ExpressionAttributeValues: { ':none': [], ':action': [action] },
      });
    });
  });

  describe('Method: listReleases', () => {
    it('queries the newest records first with the limit', async () => {
      // Prepare
      ddb.on(QueryCommand).resolves({ Items: [{ pk: 'RELEASE#prod#web', sk: 's', ...ledger }] });

      // Act
      const records = await table.listReleases('prod', 'web', 5);

      // Assess
      expect(records).toEqual([ledger]);
      expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'RELEASE#prod#web' },
        ScanIndexForward: false,
        Limit: 5,
      });
    });
  });
});
