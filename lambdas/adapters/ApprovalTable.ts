import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ApprovalDecision, ApprovalRecord, ApprovalStorePort } from '../domain/approval.ts';
import { CutoverTableAdapter } from './CutoverTableAdapter.ts';

type Item = Record<string, unknown>;

/** Approval records outlive their timeout by a day, for `cutover status` and audits; the ledger keeps the decision. */
const APPROVAL_TTL_SECONDS = 24 * 3600;

const approvalKey = (environment: string, service: string): Item => ({ pk: `APPROVAL#${environment}#${service}`, sk: 'CURRENT' });

/**
 * The approval records of the cutover table (`APPROVAL#<environment>#<service>` / `CURRENT`), through the DynamoDB
 * document client. The decision is written to the approval record and to the release's ledger record
 * (`RELEASE#<environment>#<service>` / ledger sort key, attribute `approval`), and the `gate` of the release's lock is
 * removed, in one transaction.
 */
export class ApprovalTable extends CutoverTableAdapter implements ApprovalStorePort {


  /** {@inheritDoc ApprovalStorePort.putApproval} */
  async putApproval(record: ApprovalRecord): Promise<void> {
    const expiresAt = Math.floor(Date.parse(record.expiresAt) / 1000) + APPROVAL_TTL_SECONDS;
    if (!Number.isFinite(expiresAt)) throw new Error(`approval expiresAt is not a date: ${record.expiresAt}`);
    await this.documentClient.send(
      new PutCommand({ TableName: this.tableName, Item: { ...approvalKey(record.environment, record.service), ...record, expiresAt } }),
    );
  }

  /** {@inheritDoc ApprovalStorePort.getApproval} */
  async getApproval(environment: string, service: string): Promise<(ApprovalRecord & { readonly decision?: ApprovalDecision }) | undefined> {
    const { Item: item } = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: approvalKey(environment, service), ConsistentRead: true }));
    if (item === undefined) return undefined;
    const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...record } = item;
    return record as ApprovalRecord & { decision?: ApprovalDecision };
  }

  /** {@inheritDoc ApprovalStorePort.recordDecision} */
  async recordDecision(record: ApprovalRecord, decision: ApprovalDecision): Promise<boolean> {
    const TableName = this.tableName;
    try {
      await this.documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName,
                Key: approvalKey(record.environment, record.service),
                UpdateExpression: 'SET #decision = :decision',
                ConditionExpression: 'releaseId = :releaseId AND attribute_not_exists(#decision)',
                ExpressionAttributeNames: { '#decision': 'decision' },
                ExpressionAttributeValues: { ':decision': decision, ':releaseId': record.releaseId },
              },
            },
            {
              Update: {
                TableName,
                Key: { pk: `RELEASE#${record.environment}#${record.service}`, sk: record.ledgerSortKey },
                UpdateExpression: 'SET #approval = :decision',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeNames: { '#approval': 'approval' },
                ExpressionAttributeValues: { ':decision': decision },
              },
            },
            {
              // Off the approval gate: `cutover abort` no longer finds the answered token, `status` no longer says it waits.
              Update: {
                TableName,
                Key: { pk: `LOCK#${record.environment}#${record.service}`, sk: 'LOCK' },
                UpdateExpression: 'REMOVE #gate',
                ConditionExpression: 'releaseId = :releaseId',
                ExpressionAttributeNames: { '#gate': 'gate' },
                ExpressionAttributeValues: { ':releaseId': record.releaseId },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'TransactionCanceledException') return false;
      throw error;
    }
  }
}
