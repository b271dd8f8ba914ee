import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SlackMessageRef, SlackMessageStorePort } from '../domain/slackPorts.ts';

/** How long the table remembers where a release's message is: long after any release has ended. */
const MESSAGE_REF_TTL_SECONDS = 30 * 86_400;

/** {@link SlackMessageStorePort} in the release table: `SLACK#<environment>#<releaseId>` / `MESSAGE`, expiring after 30 days. */
export class SlackMessageTable implements SlackMessageStorePort {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly now: () => Date;

  constructor(tableName: string, documentClient?: DynamoDBDocumentClient, now: () => Date = () => new Date()) {
    this.tableName = tableName;
    this.documentClient = documentClient ?? DynamoDBDocumentClient.from(new DynamoDBClient({}));
    this.now = now;
  }

  /** {@inheritDoc SlackMessageStorePort.getMessageRef} */
  async getMessageRef(environment: string, releaseId: string): Promise<SlackMessageRef | undefined> {
    const output = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: { pk: `SLACK#${environment}#${releaseId}`, sk: 'MESSAGE' } }));
    const item = output.Item;
    return typeof item?.channel === 'string' && typeof item.ts === 'string' ? { channel: item.channel, ts: item.ts } : undefined;
  }

  /** {@inheritDoc SlackMessageStorePort.putMessageRef} */
  async putMessageRef(environment: string, releaseId: string, ref: SlackMessageRef): Promise<void> {
    const expiresAt = Math.floor(this.now().getTime() / 1000) + MESSAGE_REF_TTL_SECONDS;
    await this.documentClient.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: `SLACK#${environment}#${releaseId}`, sk: 'MESSAGE', channel: ref.channel, ts: ref.ts, expiresAt } }),
    );
  }
}
