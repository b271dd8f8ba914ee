import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ParkedGateTable } from '../../../lambdas/adapters/ParkedGateTable.ts';
import type { ParkedGate } from '../../../lambdas/domain/ports.ts';

const TABLE = 'cutover-table';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:cutover:rel-1';
const gate: ParkedGate = { name: 'freeze', taskToken: 'token-1', since: '2025-01-01T10:00:00.000Z', until: '2025-01-01T12:00:00.000Z' };

describe('Class: ParkedGateTable', () => {
  const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const mock = mockClient(documentClient);

  afterEach(() => {
    mock.reset();
  });

  describe('Method: parkAtGate', () => {
    it('sets the gate on the lock only while this execution holds it', async () => {
      // Prepare
      mock.on(UpdateCommand).resolves({});
      const table = new ParkedGateTable(documentClient, TABLE);

      // Act
      const parked = await table.parkAtGate('prod', 'web', EXECUTION, gate);

      // Assess
      expect(parked).toBe(true);
      expect(mock).toHaveReceivedCommandWith(UpdateCommand, {
        TableName: TABLE,
        Key: { pk: 'LOCK#prod#web', sk: 'LOCK' },
        UpdateExpression: 'SET #gate = :gate',
        ConditionExpression: 'executionArn = :me',
        ExpressionAttributeValues: { ':gate': gate, ':me': EXECUTION },
      });
    });

    it('returns false when the execution no longer holds the lock', async () => {
      // Prepare
      mock.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
      const table = new ParkedGateTable(documentClient, TABLE);

      // Act
      const parked = await table.parkAtGate('prod', 'web', EXECUTION, gate);

      // Assess
      expect(parked).toBe(false);
    });
  });
});
