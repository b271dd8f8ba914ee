import {
  DeleteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BakeTokenRecord, LedgerRecord, LockAttempt, LockRecord, OperatorActionRecord, ReleaseStorePort } from '../domain/ports.ts';
import { CutoverTableAdapter } from './CutoverTableAdapter.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

/** DynamoDB allows at most 100 actions in one transaction. */
const MAX_TRANSACT_ITEMS = 100;

const lockKey = (environment: string, service: string): Item => ({ pk: `LOCK#${environment}#${service}`, sk: 'LOCK' });
const ledgerKey = (environment: string, service: string, sortKey: string): Item => ({ pk: `RELEASE#${environment}#${service}`, sk: sortKey });
const alarmKey = (alarmName: string, releaseId: string, stepIndex: number): Item => ({
  pk: `ALARM#${alarmName}`,
  sk: `TOKEN#${releaseId}#${stepIndex}`,
});
const currentBakeKey = (environment: string, service: string): Item => ({ pk: `BAKE#${environment}#${service}`, sk: 'CURRENT' });

/** Drops the table's own attributes (keys and TTL) so that a record reads back as the port's type. */
function recordOf<T>(item: Item | undefined): T | undefined {
  if (item === undefined) return undefined;
  const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...record } = item;
  return record as T;
}

/** True when a transaction was cancelled; `index` narrows it to a condition failure of that action. */
function isCancelled(error: unknown, conditionFailedAt?: number): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  if (conditionFailedAt === undefined) return true;
  const reasons = (error as Error & { CancellationReasons?: readonly { Code?: string }[] }).CancellationReasons;
  return reasons?.[conditionFailedAt]?.Code === 'ConditionalCheckFailed';
}

/**
 * DynamoDB reports a transaction that collided with another one as TransactionCanceledException with a
 * `TransactionConflict` reason; the state machine retries by error name, so such a conflict is given the name of the
 * retryable TransactionConflictException.
 */
function asConflict(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return error;
  const reasons = (error as Error & { CancellationReasons?: readonly { Code?: string }[] }).CancellationReasons ?? [];
  if (!reasons.some((reason) => reason.Code === 'TransactionConflict')) return error;
  const conflict = new Error(`transaction conflict, retry: ${error.message}`, { cause: error });
  conflict.name = 'TransactionConflictException';
  return conflict;
}

/**
 * The cutover table (see {@link ReleaseStorePort} for the layout), through the DynamoDB document client.
 * Reads are strongly consistent: a lock or a bake registration written a moment ago must be seen.
 */
export class ReleaseTable extends CutoverTableAdapter implements ReleaseStorePort {


  /** {@inheritDoc ReleaseStorePort.acquireLock} */
  async acquireLock(lock: LockRecord, ledger: LedgerRecord, takeOverFrom?: string): Promise<LockAttempt> {
    const TableName = this.tableName;
    const lockCondition =
      takeOverFrom === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk) OR executionArn = :me', ExpressionAttributeValues: { ':me': lock.executionArn } }
        : { ConditionExpression: 'executionArn = :previous', ExpressionAttributeValues: { ':previous': takeOverFrom } };
    try {
      await this.documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName, Item: { ...lockKey(lock.environment, lock.service), ...lock }, ...lockCondition } },
            { Put: { TableName, Item: { ...ledgerKey(ledger.environment, ledger.service, `${ledger.startedAt}#${ledger.releaseId}`), ...ledger } } },
          ],
        }),
      );
      return { acquired: true };
    } catch (error) {
      if (!isCancelled(error, 0)) throw asConflict(error);
      const holder = await this.getLock(lock.environment, lock.service);
      // The holder released the lock between our write and this read: report the failure as it was, the caller retries.
      if (holder === undefined) throw error;
      return { acquired: false, holder };
    }
  }

  /** {@inheritDoc ReleaseStorePort.getLock} */
  async getLock(environment: string, service: string): Promise<LockRecord | undefined> {
    return this.get<LockRecord>(lockKey(environment, service));
  }

  /** {@inheritDoc ReleaseStorePort.completeRelease} */
  async completeRelease(update: Parameters<ReleaseStorePort['completeRelease']>[0]): Promise<void> {
    const TableName = this.tableName;
    const names: Record<string, string> = { '#outcome': 'outcome', '#endedAt': 'endedAt' };
    const values: Record<string, unknown> = { ':outcome': update.outcome, ':endedAt': update.endedAt };
    const assignments = ['#outcome = :outcome', '#endedAt = :endedAt'];
    if (update.cause !== undefined) {
      names['#cause'] = 'cause';
      values[':cause'] = update.cause;
      assignments.push('#cause = :cause');
    }
    if (update.toTaskDefinition !== undefined) {
      names['#toTaskDefinition'] = 'toTaskDefinition';
      values[':toTaskDefinition'] = update.toTaskDefinition;
      assignments.push('#toTaskDefinition = :toTaskDefinition');
    }
    if (update.postPromotionMigration !== undefined) {
      names['#postPromotionMigration'] = 'postPromotionMigration';
      values[':postPromotionMigration'] = update.postPromotionMigration;
      assignments.push('#postPromotionMigration = :postPromotionMigration');
    }
    const ledgerUpdate: TransactItem = {
      Update: {
        TableName,
        Key: ledgerKey(update.environment, update.service, update.ledgerSortKey),
        UpdateExpression: `SET ${assignments.join(', ')}`,
        // Never create a partial ledger record (Prepare wrote it with the lock), and never overwrite another outcome:
        // a release that ended stays ended as it ended.
        ConditionExpression: 'attribute_exists(pk) AND (#outcome = :inProgress OR #outcome = :outcome)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':inProgress': 'InProgress' },
      },
    };

    for (let attempt = 1; ; attempt++) {
      // A failed condition cancels the whole transaction, so only the deletes whose condition holds now are included.
      const [lock, bake] = await Promise.all([
        this.getLock(update.environment, update.service),
        this.getCurrentBake(update.environment, update.service),
      ]);
      const items: TransactItem[] = [ledgerUpdate];
      if (lock?.executionArn === update.executionArn) {
        items.push({
          Delete: {
            TableName,
            Key: lockKey(update.environment, update.service),
            ConditionExpression: 'executionArn = :me',
            ExpressionAttributeValues: { ':me': update.executionArn },
          },
        });
      }
      if (bake?.releaseId === update.releaseId) {
        items.push({
          Delete: {
            TableName,
            Key: currentBakeKey(update.environment, update.service),
            ConditionExpression: 'releaseId = :rid',
            ExpressionAttributeValues: { ':rid': update.releaseId },
          },
        });
      }
      try {
        await this.documentClient.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        if (isCancelled(error, 0)) {
          const record = await this.getLedgerRecord(update.environment, update.service, update.ledgerSortKey);
          const where = `ledger record RELEASE#${update.environment}#${update.service} / ${update.ledgerSortKey}`;
          throw new Error(record === undefined ? `${where} does not exist` : `${where} already ended as ${record.outcome}, not ${update.outcome}`, {
            cause: error,
          });
        }
        // A lock or bake record changed between the read and the write: read again and retry once.
        if (attempt >= 2 || !isCancelled(error)) throw asConflict(error);
      }
    }
  }

  /** {@inheritDoc ReleaseStorePort.getLedgerRecord} */
  async getLedgerRecord(environment: string, service: string, ledgerSortKey: string): Promise<LedgerRecord | undefined> {
    return this.get<LedgerRecord>(ledgerKey(environment, service, ledgerSortKey));
  }

  /** {@inheritDoc ReleaseStorePort.recordOperatorAction} */
  async recordOperatorAction(environment: string, service: string, ledgerSortKey: string, action: OperatorActionRecord): Promise<void> {
    await this.documentClient.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: ledgerKey(environment, service, ledgerSortKey),
        UpdateExpression: 'SET #actions = list_append(if_not_exists(#actions, :none), :action)',
        // Never create a partial ledger record.
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#actions': 'actions' },
        ExpressionAttributeValues: { ':none': [], ':action': [action] },
      }),
    );
  }

  /** {@inheritDoc ReleaseStorePort.listReleases} */
  async listReleases(environment: string, service: string, limit: number): Promise<readonly LedgerRecord[]> {
    const output = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `RELEASE#${environment}#${service}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (output.Items ?? []).map((item) => recordOf<LedgerRecord>(item) as LedgerRecord);
  }

  /** {@inheritDoc ReleaseStorePort.registerBake} */
  async registerBake(token: BakeTokenRecord, alarmNames: readonly string[], ttlSeconds: number): Promise<void> {
    const TableName = this.tableName;
    const expiresAt = Math.floor(Date.parse(token.endsAt) / 1000) + ttlSeconds;
    if (!Number.isFinite(expiresAt)) throw new Error(`bake endsAt is not a date: ${token.endsAt}`);
    const items: TransactItem[] = [
      { Put: { TableName, Item: { ...currentBakeKey(token.environment, token.service), ...token, expiresAt } } },
      ...[...new Set(alarmNames)].map(
        (alarmName): TransactItem => ({
          Put: { TableName, Item: { ...alarmKey(alarmName, token.releaseId, token.stepIndex), ...token, alarmName, expiresAt } },
        }),
      ),
    ];
    for (let start = 0; start < items.length; start += MAX_TRANSACT_ITEMS) {
      try {
        await this.documentClient.send(new TransactWriteCommand({ TransactItems: items.slice(start, start + MAX_TRANSACT_ITEMS) }));
      } catch (error) {
        throw asConflict(error);
      }
    }
  }

  /** {@inheritDoc ReleaseStorePort.bakesForAlarm} */
  async bakesForAlarm(alarmName: string): Promise<readonly (BakeTokenRecord & { readonly sk: string })[]> {
    const bakes: (BakeTokenRecord & { sk: string })[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const output = await this.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `ALARM#${alarmName}`, ':prefix': 'TOKEN#' },
          ConsistentRead: true,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      for (const item of output.Items ?? []) {
        const { alarmName: _alarmName, ...record } = recordOf<BakeTokenRecord & { alarmName?: string }>(item) as BakeTokenRecord & { alarmName?: string };
        bakes.push({ ...record, sk: String(item.sk) });
      }
      exclusiveStartKey = output.LastEvaluatedKey;
    } while (exclusiveStartKey !== undefined);
    return bakes;
  }

  /** {@inheritDoc ReleaseStorePort.deleteAlarmRegistration} */
  async deleteAlarmRegistration(alarmName: string, sk: string): Promise<void> {
    await this.documentClient.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: `ALARM#${alarmName}`, sk } }));
  }

  /** {@inheritDoc ReleaseStorePort.getCurrentBake} */
  async getCurrentBake(environment: string, service: string): Promise<BakeTokenRecord | undefined> {
    return this.get<BakeTokenRecord>(currentBakeKey(environment, service));
  }

  private async get<T>(key: Item): Promise<T | undefined> {
    const output = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return recordOf<T>(output.Item);
  }
}
