import { beforeEach, describe, expect, it } from 'vitest';
import { SimulatedDynamoDb } from '../../sandbox/account/SimulatedDynamoDb.ts';

const TABLE = 'releases';

describe('Class: SimulatedDynamoDb', () => {
  let table: SimulatedDynamoDb;

  beforeEach(() => {
    table = new SimulatedDynamoDb();
    table.createTable(TABLE);
  });

  describe('Method: TransactWriteItems', () => {
    it('applies nothing and names the failed condition when one action fails its condition', () => {
      // Prepare
      table.seedDocument(TABLE, { pk: 'LOCK#prod#web', sk: 'LOCK', executionArn: 'holder' });

      // Act
      const act = (): unknown =>
        table.operations.TransactWriteItems?.({
          TransactItems: [
            { Put: { TableName: TABLE, Item: { pk: { S: 'RELEASE#prod#web' }, sk: { S: '1' } } } },
            {
              Put: {
                TableName: TABLE,
                Item: { pk: { S: 'LOCK#prod#web' }, sk: { S: 'LOCK' }, executionArn: { S: 'me' } },
                ConditionExpression: 'attribute_not_exists(pk) OR executionArn = :me',
                ExpressionAttributeValues: { ':me': { S: 'me' } },
              },
            },
          ],
        });

      // Assess
      expect(act).toThrow(expect.objectContaining({ name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'None' }, expect.objectContaining({ Code: 'ConditionalCheckFailed' })] }));
      expect(table.documents(TABLE)).toEqual([{ pk: 'LOCK#prod#web', sk: 'LOCK', executionArn: 'holder' }]);
    });
  });

  describe('Method: PutItem', () => {
    it('rejects an expression attribute value that no expression uses', () => {
      // Act
      const act = (): unknown =>
        table.operations.PutItem?.({
          TableName: TABLE,
          Item: { pk: { S: 'a' }, sk: { S: 'b' } },
          ConditionExpression: 'attribute_not_exists(pk)',
          ExpressionAttributeValues: { ':unused': { S: 'x' } },
        });

      // Assess
      expect(act).toThrow(expect.objectContaining({ name: 'ValidationException', message: expect.stringContaining(':unused') }));
    });
  });

  describe('Method: Query', () => {
    it('pages a partition newest first with Limit and ExclusiveStartKey', () => {
      // Prepare
      for (const sk of ['2025-01-01#a', '2025-02-01#b', '2025-03-01#c']) table.seedDocument(TABLE, { pk: 'RELEASE#prod#web', sk });
      table.seedDocument(TABLE, { pk: 'RELEASE#prod#api', sk: '2025-04-01#d' });
      const query = (start?: unknown): { Items: { sk: { S: string } }[]; LastEvaluatedKey?: unknown } =>
        table.operations.Query?.({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
          ExpressionAttributeValues: { ':pk': { S: 'RELEASE#prod#web' }, ':year': { S: '2025-' } },
          ScanIndexForward: false,
          Limit: 2,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }) as { Items: { sk: { S: string } }[]; LastEvaluatedKey?: unknown };

      // Act
      const first = query();
      const second = query(first.LastEvaluatedKey);

      // Assess
      expect(first.Items.map((item) => item.sk.S)).toEqual(['2025-03-01#c', '2025-02-01#b']);
      expect(second.Items.map((item) => item.sk.S)).toEqual(['2025-01-01#a']);
      expect(second.LastEvaluatedKey).toBeUndefined();
    });
  });
});
