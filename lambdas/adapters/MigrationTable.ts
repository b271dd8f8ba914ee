import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MIGRATION_ALREADY_SUCCEEDED } from '../domain/runMigration.ts';
import type { MigrationKey, MigrationRecord, MigrationRunRecord, MigrationStorePort, MigrationStatusValue } from '../domain/ports.ts';
import { CutoverTableAdapter } from './CutoverTableAdapter.ts';

type Item = Record<string, unknown>;

const migrationKey = (key: MigrationKey): Item => ({ pk: `MIGRATION#${key.environment}#${key.service}#${key.digest}`, sk: key.phase });
const runKey = (runId: string): Item => ({ pk: `MIGRATIONRUN#${runId}`, sk: 'TOKEN' });

function recordOf<T>(item: Item | undefined): T | undefined {
  if (item === undefined) return undefined;
  const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...record } = item;
  return record as T;
}

function expiresAtOf(run: MigrationRunRecord, ttlSeconds: number): number {
  const expiresAt = Math.floor(Date.parse(run.endsAt) / 1000) + ttlSeconds;
  if (!Number.isFinite(expiresAt)) throw new Error(`migration run endsAt is not a date: ${run.endsAt}`);
  return expiresAt;
}


/**
 * The migration records of the cutover table (see {@link MigrationStorePort} for the layout), through the DynamoDB
 * document client. The migration record outlives releases (it is what makes a migration run once per digest); run
 * records expire with the table's TTL.
 */
export class MigrationTable extends CutoverTableAdapter implements MigrationStorePort {


  /** {@inheritDoc MigrationStorePort.getMigration} */
  async getMigration(key: MigrationKey): Promise<MigrationRecord | undefined> {
    return this.get<MigrationRecord>(migrationKey(key));
  }

  /** {@inheritDoc MigrationStorePort.startMigration} */
  async startMigration(record: MigrationRecord, run: MigrationRunRecord, ttlSeconds: number): Promise<void> {
    const TableName = this.tableName;
    try {
      await this.documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName,
                Item: { ...migrationKey(record), ...record },
                ConditionExpression: 'attribute_not_exists(pk) OR #status <> :succeeded',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':succeeded': 'Succeeded' },
              },
            },
            { Put: { TableName, Item: { ...runKey(run.runId), ...run, expiresAt: expiresAtOf(run, ttlSeconds) } } },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'TransactionCanceledException') {
        const reasons = (error as Error & { CancellationReasons?: readonly { Code?: string }[] }).CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          const succeeded = new Error(`the ${record.phase} migration of ${record.digest} already succeeded`, { cause: error });
          succeeded.name = MIGRATION_ALREADY_SUCCEEDED;
          throw succeeded;
        }
        if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
          const conflict = new Error(`transaction conflict, retry: ${error.message}`, { cause: error });
          conflict.name = 'TransactionConflictException';
          throw conflict;
        }
      }
      throw error;
    }
  }

  /** {@inheritDoc MigrationStorePort.attachMigrationToken} */
  async attachMigrationToken(run: MigrationRunRecord, ttlSeconds: number): Promise<void> {
    await this.documentClient.send(new PutCommand({ TableName: this.tableName, Item: { ...runKey(run.runId), ...run, expiresAt: expiresAtOf(run, ttlSeconds) } }));
  }

  /** {@inheritDoc MigrationStorePort.setMigrationTask} */
  async setMigrationTask(key: MigrationKey, runId: string, taskArn: string): Promise<void> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: migrationKey(key),
          UpdateExpression: 'SET taskArn = :taskArn',
          ConditionExpression: 'runId = :runId',
          ExpressionAttributeValues: { ':taskArn': taskArn, ':runId': runId },
        }),
      );
    } catch (error) {
      // The task already stopped and onTaskStopped ended the run with its ARN; nothing to add.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /** {@inheritDoc MigrationStorePort.endMigration} */
  async endMigration(
    key: MigrationKey,
    runId: string,
    end: { readonly status: MigrationStatusValue; readonly endedAt: string; readonly exitCode?: number; readonly cause?: string },
  ): Promise<void> {
    const names: Record<string, string> = { '#status': 'status', '#endedAt': 'endedAt' };
    const values: Record<string, unknown> = { ':status': end.status, ':endedAt': end.endedAt, ':runId': runId, ':running': 'Running' };
    const assignments = ['#status = :status', '#endedAt = :endedAt'];
    if (end.exitCode !== undefined) {
      names['#exitCode'] = 'exitCode';
      values[':exitCode'] = end.exitCode;
      assignments.push('#exitCode = :exitCode');
    }
    if (end.cause !== undefined) {
      names['#cause'] = 'cause';
      values[':cause'] = end.cause;
      assignments.push('#cause = :cause');
    }
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: migrationKey(key),
          UpdateExpression: `SET ${assignments.join(', ')}`,
          // Only this run, and only once: a late event of an older run never overwrites a newer run or a success.
          ConditionExpression: 'runId = :runId AND #status = :running',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
    await this.documentClient.send(new DeleteCommand({ TableName: this.tableName, Key: runKey(runId) }));
  }

  /** {@inheritDoc MigrationStorePort.getMigrationRun} */
  async getMigrationRun(runId: string): Promise<MigrationRunRecord | undefined> {
    return this.get<MigrationRunRecord>(runKey(runId));
  }

  private async get<T>(key: Item): Promise<T | undefined> {
    const output = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return recordOf<T>(output.Item);
  }
}
