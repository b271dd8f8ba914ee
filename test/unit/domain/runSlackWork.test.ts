import { describe, expect, it, vi } from 'vitest';
import type { ApprovalDecision, ApprovalRecord, ApprovalStorePort } from '../../../lambdas/domain/approval.ts';
import type { BakeTokenRecord, ExecutionPort, ExecutionStarterPort, LockRecord, ReleaseStorePort } from '../../../lambdas/domain/ports.ts';
import { formatSlackStatus, runSlackWork } from '../../../lambdas/domain/runSlackWork.ts';
import type { SlackResponse } from '../../../lambdas/domain/slackPorts.ts';
import type { SlackWork } from '../../../lambdas/domain/slackWork.ts';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const RESPONSE_URL = 'https://hooks.slack.com/actions/T1/42/abc';
const executionArn = (releaseId: string): string => `arn:aws:states:eu-west-1:123456789012:execution:cutover-prod-release:${releaseId}`;

/** A lock held by `releaseId`, whose execution is `status`, with a bake record of that release still in the table. */
function portsWith(releaseId: string, status: string | undefined) {
  const lock: LockRecord = { service: 'web', environment: 'prod', releaseId, executionArn: executionArn(releaseId), acquiredAt: '2025-03-01T11:00:00.000Z' };
  const bake: BakeTokenRecord = {
    service: 'web',
    environment: 'prod',
    releaseId,
    executionArn: lock.executionArn,
    stepIndex: 1,
    weight: 50,
    manual: true,
    taskToken: 'token-1',
    startedAt: '2025-03-01T11:10:00.000Z',
    endsAt: '2025-03-02T11:10:00.000Z',
  };
  const store = {
    getLock: vi.fn(async () => lock),
    getCurrentBake: vi.fn(async () => bake),
    listReleases: vi.fn(async () => []),
  } as unknown as ReleaseStorePort;
  const executions: ExecutionPort = {
    describeExecutionStatus: vi.fn(async () => status),
    sendTaskFailure: vi.fn(async () => true),
    sendTaskSuccess: vi.fn(async () => true),
  };
  const starter: ExecutionStarterPort = { startExecution: vi.fn(async () => ({ started: true as const, executionArn: 'x' })) };
  const responses: SlackResponse[] = [];
  const responder = { respond: vi.fn(async (_url: string, message: SlackResponse) => (responses.push(message), true)) };
  const approvals = { putApproval: vi.fn(), getApproval: vi.fn(async () => undefined), recordDecision: vi.fn(async () => false) };
  return { ports: { store, executions, responder, approvals, rollback: { starter, stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:cutover-prod-rollback' } }, executions, starter, responses };
}

const button = (action: 'rollback' | 'promote', releaseId: string): SlackWork => ({
  kind: 'act',
  action,
  service: 'web',
  environment: 'prod',
  actor: { userId: 'UALLOWED', userName: 'alice' },
  responseUrl: RESPONSE_URL,
  releaseId,
});

describe('Function: runSlackWork', () => {
  it.each([
    ['rollback', 'SUCCEEDED'],
    ['rollback', undefined],
    ['promote', 'FAILED'],
  ] as const)('changes nothing for a %s button whose release holds a stale lock (execution %s)', async (action, status) => {
    // Prepare
    const fake = portsWith('web-release-2', status);

    // Act
    const result = await runSlackWork(button(action, 'web-release-2'), fake.ports, NOW);

    // Assess
    expect(result).toEqual({ acted: false, delivered: true, text: `web in prod: release web-release-2 is no longer running, nothing to ${action}. Nothing was changed.` });
    expect(fake.starter.startExecution).not.toHaveBeenCalled();
    expect(fake.executions.sendTaskFailure).not.toHaveBeenCalled();
    expect(fake.executions.sendTaskSuccess).not.toHaveBeenCalled();
    expect(fake.responses).toEqual([{ response_type: 'ephemeral', text: result.text, replace_original: false }]);
  });

  it('aborts the waiting bake for a rollback button while its release runs, and starts no rollback machine', async () => {
    // Prepare
    const fake = portsWith('web-release-2', 'RUNNING');

    // Act
    const result = await runSlackWork(button('rollback', 'web-release-2'), fake.ports, NOW);

    // Assess
    expect(result.acted).toBe(true);
    expect(fake.executions.sendTaskFailure).toHaveBeenCalledWith('token-1', 'ReleaseAborted', expect.stringContaining('aborted by slack:UALLOWED (alice)'));
    expect(fake.starter.startExecution).not.toHaveBeenCalled();
  });
});

/** A release `releaseId` parked at the approval gate (or not), requested by `requestedBy`, with `approvers`. */
function approvalPortsWith(options: { releaseId: string; parked: boolean; status?: string; approvers?: string[]; requestedBy?: string; allowSelfApproval?: boolean }) {
  const lock: LockRecord = {
    service: 'web',
    environment: 'prod',
    releaseId: options.releaseId,
    executionArn: executionArn(options.releaseId),
    acquiredAt: '2025-03-01T11:00:00.000Z',
    ...(options.parked ? { gate: { name: 'approval' as const, taskToken: 'approval-token', since: '2025-03-01T11:05:00.000Z', until: '2025-03-02T11:05:00.000Z' } } : {}),
  };
  const approval: ApprovalRecord = {
    service: 'web',
    environment: 'prod',
    releaseId: options.releaseId,
    executionArn: lock.executionArn,
    ledgerSortKey: '2025-03-01T11:00:00.000Z#' + options.releaseId,
    taskToken: 'approval-token',
    imageDigest: 'sha256:abc',
    requestedBy: options.requestedBy ?? 'ci',
    allowSelfApproval: options.allowSelfApproval ?? false,
    approvers: options.approvers ?? [],
    requestedAt: '2025-03-01T11:05:00.000Z',
    expiresAt: '2025-03-02T11:05:00.000Z',
  };
  const store = { getLock: vi.fn(async () => lock), getCurrentBake: vi.fn(async () => undefined), listReleases: vi.fn(async () => []) } as unknown as ReleaseStorePort;
  const executions: ExecutionPort = {
    describeExecutionStatus: vi.fn(async () => options.status ?? 'RUNNING'),
    sendTaskFailure: vi.fn(async () => true),
    sendTaskSuccess: vi.fn(async () => true),
  };
  const approvals: ApprovalStorePort = {
    putApproval: vi.fn(async () => undefined),
    getApproval: vi.fn(async () => approval),
    recordDecision: vi.fn(async (_record: ApprovalRecord, _decision: ApprovalDecision) => true),
  };
  const responses: SlackResponse[] = [];
  const responder = { respond: vi.fn(async (_url: string, message: SlackResponse) => (responses.push(message), true)) };
  return { ports: { store, executions, responder, approvals }, executions, approvals, responses };
}

const approvalButton = (action: 'approve' | 'reject', releaseId: string): SlackWork => ({
  kind: 'act',
  action,
  service: 'web',
  environment: 'prod',
  actor: { userId: 'UALLOWED', userName: 'alice' },
  responseUrl: RESPONSE_URL,
  releaseId,
});

describe('Function: runSlackWork (Approve / Reject)', () => {
  it('approves the release parked at the approval gate through decideApproval, with the Slack user as the approver', async () => {
    // Prepare
    const fake = approvalPortsWith({ releaseId: 'web-release-2', parked: true });

    // Act
    const result = await runSlackWork(approvalButton('approve', 'web-release-2'), fake.ports, NOW);

    // Assess
    expect(result.acted).toBe(true);
    expect(fake.approvals.recordDecision).toHaveBeenCalledWith(
      expect.objectContaining({ releaseId: 'web-release-2' }),
      { decision: 'approved', decidedBy: 'slack:UALLOWED (alice)', decidedAt: NOW.toISOString(), reason: 'approve from Slack' },
    );
    expect(fake.executions.sendTaskSuccess).toHaveBeenCalledWith('approval-token', expect.objectContaining({ approvedBy: 'slack:UALLOWED (alice)' }));
    expect(fake.responses).toEqual([{ response_type: 'in_channel', text: expect.stringContaining('<@UALLOWED> asked to approve: web in prod: release web-release-2 approved by slack:UALLOWED (alice)'), replace_original: false }]);
  });

  it('rejects the release parked at the approval gate: its task fails with ApprovalRejected', async () => {
    // Prepare
    const fake = approvalPortsWith({ releaseId: 'web-release-2', parked: true });

    // Act
    const result = await runSlackWork(approvalButton('reject', 'web-release-2'), fake.ports, NOW);

    // Assess
    expect(result.acted).toBe(true);
    expect(fake.executions.sendTaskFailure).toHaveBeenCalledWith('approval-token', 'ApprovalRejected', 'rejected by slack:UALLOWED (alice): reject from Slack');
    expect(fake.executions.sendTaskSuccess).not.toHaveBeenCalled();
  });

  it.each([
    ['an approver list without the Slack user', { approvers: ['bob'] }, 'is not an approver of prod (bob)'],
    ['the requester approving their own release', { requestedBy: 'slack:UALLOWED (alice)' }, 'cannot approve it (allowSelfApproval is false)'],
  ])('refuses %s, exactly as for the CLI, and changes nothing', async (_case, policy, refusal) => {
    // Prepare
    const fake = approvalPortsWith({ releaseId: 'web-release-2', parked: true, ...policy });

    // Act
    const result = await runSlackWork(approvalButton('approve', 'web-release-2'), fake.ports, NOW);

    // Assess
    expect(result.acted).toBe(false);
    expect(result.text).toContain(refusal);
    expect(fake.approvals.recordDecision).not.toHaveBeenCalled();
    expect(fake.executions.sendTaskSuccess).not.toHaveBeenCalled();
    expect(fake.responses[0]?.response_type).toBe('ephemeral');
  });

  it('lets an approver named slack:<id> (<name>) in the approvers list approve', async () => {
    // Prepare
    const fake = approvalPortsWith({ releaseId: 'web-release-2', parked: true, approvers: ['slack:UALLOWED (alice)'] });

    // Act
    const result = await runSlackWork(approvalButton('approve', 'web-release-2'), fake.ports, NOW);

    // Assess
    expect(result.acted).toBe(true);
    expect(fake.executions.sendTaskSuccess).toHaveBeenCalledTimes(1);
  });

  it('lets an approver listed as slack:<id> approve, whatever the display name', async () => {
    // Prepare
    const fake = approvalPortsWith({ releaseId: 'web-release-2', parked: true, approvers: ['slack:UALLOWED'] });

    // Act
    const result = await runSlackWork(approvalButton('approve', 'web-release-2'), fake.ports, NOW);

    // Assess
    expect(result.acted).toBe(true);
    expect(fake.executions.sendTaskSuccess).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a newer release holds the lock', { releaseId: 'web-release-3', parked: true }],
    ['the release is no longer parked at the approval gate', { releaseId: 'web-release-2', parked: false }],
    ['the execution holding a stale lock has ended', { releaseId: 'web-release-2', parked: true, status: 'FAILED' }],
  ])('acts on nothing from a stale button when %s', async (_case, state) => {
    // Prepare
    const fake = approvalPortsWith(state);

    // Act
    const result = await runSlackWork(approvalButton('approve', 'web-release-2'), fake.ports, NOW);

    // Assess
    expect(result).toEqual({ acted: false, delivered: true, text: 'web in prod: release web-release-2 is no longer waiting for an approval, nothing to approve. Nothing was changed.' });
    expect(fake.approvals.getApproval).not.toHaveBeenCalled();
    expect(fake.approvals.recordDecision).not.toHaveBeenCalled();
    expect(fake.executions.sendTaskSuccess).not.toHaveBeenCalled();
    expect(fake.executions.sendTaskFailure).not.toHaveBeenCalled();
  });
});

describe('Function: formatSlackStatus', () => {
  it('says when the release is parked at a gate, and until when', () => {
    // Prepare
    const lock = { service: 'web', environment: 'prod', releaseId: 'rel-2', executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:cutover-prod-release:rel-2', acquiredAt: '2026-11-26T10:00:00.000Z', executionStatus: 'RUNNING' };
    const gate = { name: 'approval' as const, since: '2026-11-26T10:05:00.000Z', until: '2026-11-27T10:05:00.000Z', reason: 'prod requires an approval' };

    // Act
    const text = formatSlackStatus({ exitCode: 0, message: '', details: { lock, gate, releases: [] } });

    // Assess
    expect(text).toContain('*Phase* parked at the approval gate until 2026-11-27T10:05:00.000Z, waiting for `cutover approve` (prod requires an approval)');
  });
});
