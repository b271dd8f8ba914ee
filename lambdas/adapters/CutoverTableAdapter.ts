import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * What every adapter over the cutover table shares: the document client (created once unless one is passed in) and
 * the table's name (from `TABLE_NAME` unless one is passed in), checked at first use so that a missing name fails
 * with a clear message rather than a DynamoDB validation error.
 */
export abstract class CutoverTableAdapter {
  protected readonly documentClient: DynamoDBDocumentClient;
  private readonly configuredTableName: string;

  constructor(documentClient?: DynamoDBDocumentClient, tableName: string = process.env.TABLE_NAME ?? '') {
    this.documentClient = documentClient ?? DynamoDBDocumentClient.from(new DynamoDBClient({}));
    this.configuredTableName = tableName;
  }

  /** The table's name; throws when none was configured. */
  protected get tableName(): string {
    if (this.configuredTableName === '') throw new Error('the cutover table has no name: set TABLE_NAME or pass tableName');
    return this.configuredTableName;
  }
}
