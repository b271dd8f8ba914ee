import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { GateParkingPort, ParkedGate } from '../domain/ports.ts';

/**
 * The gate a release is parked at, stored as the `gate` attribute of its lock (`LOCK#<environment>#<service>` / `LOCK`)
 * through the DynamoDB document client: the lock is deleted when the release ends, and the gate with it.
 */
export class ParkedGateTable implements GateParkingPort {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly configuredTableName: string;

  constructor(documentClient?: DynamoDBDocumentClient, tableName: string = process.env.TABLE_NAME ?? '') {
    this.documentClient = documentClient ?? DynamoDBDocumentClient.from(new DynamoDBClient({}));
    this.configuredTableName = tableName;
  }

  /** {@inheritDoc GateParkingPort.parkAtGate} */
  async parkAtGate(environment: string, service: string, executionArn: string, gate: ParkedGate): Promise<boolean> {
    if (this.configuredTableName === '') throw new Error('ParkedGateTable has no table name: set TABLE_NAME or pass tableName');
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.configuredTableName,
          Key: { pk: `LOCK#${environment}#${service}`, sk: 'LOCK' },
          UpdateExpression: 'SET #gate = :gate',
          ConditionExpression: 'executionArn = :me',
          ExpressionAttributeNames: { '#gate': 'gate' },
          ExpressionAttributeValues: { ':gate': gate, ':me': executionArn },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
