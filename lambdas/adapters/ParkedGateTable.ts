import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { GateParkingPort, ParkedGate } from '../domain/ports.ts';
import { CutoverTableAdapter } from './CutoverTableAdapter.ts';

/**
 * The gate a release is parked at, stored as the `gate` attribute of its lock (`LOCK#<environment>#<service>` / `LOCK`)
 * through the DynamoDB document client: the lock is deleted when the release ends, and the gate with it.
 */
export class ParkedGateTable extends CutoverTableAdapter implements GateParkingPort {

  /** {@inheritDoc GateParkingPort.parkAtGate} */
  async parkAtGate(environment: string, service: string, executionArn: string, gate: ParkedGate): Promise<boolean> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
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
