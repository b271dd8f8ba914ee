import type { ExecutionPort, GateParkingPort, LockRecord } from './ports.ts';
import type { ReleaseState } from './releaseState.ts';

/** An approval a release waits for, as stored under `APPROVAL#<environment>#<service>` / `CURRENT`. */
export interface ApprovalRecord {
  readonly service: string;
  readonly environment: string;
  readonly releaseId: string;
  readonly executionArn: string;
  /** The ledger record the decision is written to. */
  readonly ledgerSortKey: string;
  readonly taskToken: string;
  readonly imageDigest: string;
  /** Who asked for the release (a requester cannot approve their own release unless `allowSelfApproval`). */
  readonly requestedBy: string;
  /** The environment's policy when the approval was requested: a settings change does not change a waiting release. */
  readonly allowSelfApproval: boolean;
  /** Who may decide; empty: anyone allowed to call cutover approve. */
  readonly approvers: readonly string[];
  readonly requestedAt: string;
  /** When the approval times out and the release is rejected (ISO 8601). */
  readonly expiresAt: string;
  /** Where a promoted release comes from. */
  readonly promotedFrom?: { readonly environment: string; readonly releaseId: string };
}

/** The decision on an approval, recorded in the ledger (`approval`) and on the approval record. */
export interface ApprovalDecision {
  readonly decision: 'approved' | 'rejected';
  /** Who decided: the CLI's `--by` (default `$USER`), or the Slack user. */
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly reason?: string;
}

/** The approval records of the release table. */
export interface ApprovalStorePort {
  /** Stores the service's current approval; the item expires a day after `expiresAt`. */
  putApproval(record: ApprovalRecord): Promise<void>;
  /** The service's current approval, if any. */
  getApproval(environment: string, service: string): Promise<(ApprovalRecord & { readonly decision?: ApprovalDecision }) | undefined>;
  /**
   * Records the decision on the approval record and on the release's ledger record, and takes the release off the
   * approval gate (the `gate` of its lock), in one transaction. Returns false when this approval already has a decision,
   * is no longer the current one, or its release no longer holds the lock.
   */
  recordDecision(record: ApprovalRecord, decision: ApprovalDecision): Promise<boolean>;
}

/** The payload of the AwaitApproval task. */
export interface ApprovalEvent {
  readonly taskToken: string;
  /** The approval's timeout (the environment's approvalTimeoutSeconds), as the task passes it along. */
  readonly timeoutSeconds?: number;
  readonly state: ReleaseState;
}

/** The ports AwaitApproval writes to. */
export interface RequestApprovalPorts {
  readonly approvals: ApprovalStorePort;
  /** Parks the release at the approval gate, where `cutover abort` can end the wait. */
  readonly gates: GateParkingPort;
}

/**
 * AwaitApproval: stores the task token with the policy it was requested under, so that `cutover approve|reject`
 * (or a Slack button) can answer it, and parks the release at the approval gate on its lock, so that `cutover abort`
 * can end the wait. The state machine waits until then, or rejects on its timeout.
 */
export async function requestApproval(event: ApprovalEvent, ports: RequestApprovalPorts, now: Date): Promise<ApprovalRecord> {
  const { release, policy } = event.state;
  if (policy?.approvalTimeoutSeconds === undefined) throw new Error('AwaitApproval needs $.policy with the approval settings (CheckReleasePolicy runs first)');
  const record: ApprovalRecord = {
    service: release.service,
    environment: release.environment,
    releaseId: release.releaseId,
    executionArn: release.executionArn,
    ledgerSortKey: release.ledgerSortKey,
    taskToken: event.taskToken,
    imageDigest: release.image.digest,
    requestedBy: release.requestedBy,
    allowSelfApproval: policy.allowSelfApproval ?? false,
    approvers: policy.approvers ?? [],
    requestedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + policy.approvalTimeoutSeconds * 1000).toISOString(),
    ...(release.promotedFrom === undefined ? {} : { promotedFrom: release.promotedFrom }),
  };
  await ports.approvals.putApproval(record);
  const parked = await ports.gates.parkAtGate(release.environment, release.service, release.executionArn, {
    name: 'approval',
    taskToken: event.taskToken,
    since: record.requestedAt,
    until: record.expiresAt,
    ...(policy.approvalReason === undefined ? {} : { reason: policy.approvalReason }),
  });
  if (!parked) throw new Error(`release ${release.releaseId} no longer holds the lock of ${release.service} in ${release.environment}; not waiting for an approval`);
  return record;
}

/**
 * Whether an entry of the approver list names the actor. A Slack actor is `slack:<user id> (<name>)`; the entry
 * `slack:<user id>` names it whatever the user's display name is now, since names change and ids do not.
 */
function isApprover(approver: string, actor: string): boolean {
  return approver === actor || (approver.startsWith('slack:') && !approver.includes(' ') && actor.startsWith(`${approver} (`));
}

/** An approver's answer to a waiting release. */
export interface ApprovalRequest {
  readonly decision: 'approve' | 'reject';
  readonly service: string;
  readonly environment: string;
  readonly actor: string;
  readonly reason?: string;
  /** Act only on this release (a Slack button acts on the release its message is about). */
  readonly releaseId?: string;
}

/** What an approval command did. `exitCode` 0: done; 1: nothing to decide, or not allowed. */
export interface ApprovalResult {
  readonly exitCode: 0 | 1;
  readonly message: string;
}

/** The ports `decideApproval` needs. */
export interface ApprovalPorts {
  readonly approvals: ApprovalStorePort;
  readonly executions: Pick<ExecutionPort, 'sendTaskSuccess' | 'sendTaskFailure'>;
  readonly getLock: (environment: string, service: string) => Promise<LockRecord | undefined>;
}

/**
 * `cutover approve|reject`: answers the approval the service's running release waits for. Refuses an approver who is
 * not in the approvers list, and the requester approving their own release unless the environment allows it (rejecting
 * one's own release is always allowed). The decision is recorded in the ledger before the execution is answered.
 */
export async function decideApproval(request: ApprovalRequest, ports: ApprovalPorts, now: Date): Promise<ApprovalResult> {
  const who = `${request.service} in ${request.environment}`;
  const verb = request.decision;
  const [approval, lock] = await Promise.all([
    ports.approvals.getApproval(request.environment, request.service),
    ports.getLock(request.environment, request.service),
  ]);
  if (approval === undefined || lock === undefined || lock.releaseId !== approval.releaseId) {
    return { exitCode: 1, message: `${who}: no release is waiting for an approval, nothing to ${verb}` };
  }
  if (request.releaseId !== undefined && request.releaseId !== approval.releaseId) {
    return { exitCode: 1, message: `${who}: release ${request.releaseId} is not the one waiting for an approval (${approval.releaseId})` };
  }
  if (approval.decision !== undefined) {
    return { exitCode: 1, message: `${who}: release ${approval.releaseId} was already ${approval.decision.decision} by ${approval.decision.decidedBy}` };
  }
  if (approval.approvers.length > 0 && !approval.approvers.some((approver) => isApprover(approver, request.actor))) {
    return { exitCode: 1, message: `${who}: ${request.actor} is not an approver of ${request.environment} (${approval.approvers.join(', ')})` };
  }
  if (verb === 'approve' && !approval.allowSelfApproval && approval.requestedBy === request.actor) {
    return { exitCode: 1, message: `${who}: ${request.actor} requested release ${approval.releaseId} and cannot approve it (allowSelfApproval is false)` };
  }
  const decision: ApprovalDecision = {
    decision: verb === 'approve' ? 'approved' : 'rejected',
    decidedBy: request.actor,
    decidedAt: now.toISOString(),
    ...(request.reason === undefined ? {} : { reason: request.reason }),
  };
  if (!(await ports.approvals.recordDecision(approval, decision))) {
    return { exitCode: 1, message: `${who}: release ${approval.releaseId} was decided meanwhile, nothing to ${verb}` };
  }
  const because = request.reason ? `: ${request.reason}` : '';
  const answered =
    verb === 'approve'
      ? await ports.executions.sendTaskSuccess(approval.taskToken, { approvedBy: request.actor, approvedAt: decision.decidedAt, ...(request.reason ? { reason: request.reason } : {}) })
      : await ports.executions.sendTaskFailure(approval.taskToken, 'ApprovalRejected', `rejected by ${request.actor}${because}`);
  if (!answered) {
    return { exitCode: 1, message: `${who}: the approval of release ${approval.releaseId} already ended (timed out?)` };
  }
  return {
    exitCode: 0,
    message:
      verb === 'approve'
        ? `${who}: release ${approval.releaseId} approved by ${request.actor}: the release policy is checked again, then the migration, smoke tests and traffic follow`
        : `${who}: release ${approval.releaseId} rejected by ${request.actor}: it ends Failed, no traffic moved`,
  };
}
