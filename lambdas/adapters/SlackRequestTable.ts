import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SLACK_REPLAY_TTL_SECONDS, SLACK_REQUEST_KEY_PREFIX, type SlackReplayGuardPort } from '../domain/slackPorts.ts';

/**
 * {@link SlackReplayGuardPort} in the release table: one conditional PutItem per accepted request,
 * `SLACKREQUEST#<signature>` / `REQUEST`, expiring (TTL `expiresAt`) six minutes later. DynamoDB deletes expired items
 * lazily, so an expired item may still refuse its signature: harmless, the timestamp check refuses it anyway by then.
 */
export class SlackRequestTable implements SlackReplayGuardPort {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(tableName: string, documentClient?: DynamoDBDocumentClient) {
    this.tableName = tableName;
    this.documentClient = documentClient ?? DynamoDBDocumentClient.from(new DynamoDBClient({}));
  }

  /** {@inheritDoc SlackReplayGuardPort.claim} */
  async claim(signature: string, nowSeconds: number): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `${SLACK_REQUEST_KEY_PREFIX}${signature}`, sk: 'REQUEST', acceptedAt: nowSeconds, expiresAt: nowSeconds + SLACK_REPLAY_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
