import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeExecutionCommand, SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';

process.env.TABLE_NAME = 'cutover-table';
process.env.CUTOVER_ENVIRONMENT = 'prod';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler } = await import('../../../lambdas/handlers/slackWorker.ts');

const RESPONSE_URL = 'https://hooks.slack.com/commands/T1/2/abc';
const executionArn = 'arn:aws:states:eu-west-1:123456789012:execution:cutover-prod-release:web-prod-abc';
const lock = { pk: 'LOCK#prod#web', sk: 'LOCK', service: 'web', environment: 'prod', releaseId: 'web-prod-abc', executionArn, acquiredAt: '2026-11-26T10:00:00.000Z' };
const bake = {
  pk: 'BAKE#prod#web',
  sk: 'CURRENT',
  service: 'web',
  environment: 'prod',
  releaseId: 'web-prod-abc',
  executionArn,
  stepIndex: 0,
  weight: 10,
  manual: false,
  taskToken: 'token-1',
  startedAt: '2026-11-26T10:05:00.000Z',
  endsAt: '2026-11-26T10:10:00.000Z',
};
const work = (action: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'act',
  action,
  service: 'web',
  environment: 'prod',
  actor: { userId: 'UALLOWED', userName: 'alice' },
  responseUrl: RESPONSE_URL,
  ...extra,
});

describe('Function: handler (slackWorker)', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const sfn = mockClient(SFNClient);
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    ddb.on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } }).resolves({ Item: lock });
    ddb.on(GetCommand, { Key: { pk: 'BAKE#prod#web', sk: 'CURRENT' } }).resolves({ Item: bake });
    ddb.on(QueryCommand).resolves({ Items: [] });
    sfn.on(SendTaskFailureCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).resolves({});
    fetchMock.mockResolvedValue(new Response('ok', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
  });

  afterEach(() => {
    ddb.reset();
    sfn.reset();
    fetchMock.mockReset();
    vi.unstubAllGlobals();
  });

  it('fails the waiting bake token for a rollback, naming the Slack user, and tells the channel', async () => {
    // Act
    const result = await handler(work('rollback'), lambdaContextFixture());

    // Assess
    expect(result.acted).toBe(true);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskFailureCommand, 1);
    const input = sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input;
    expect(input?.taskToken).toBe('token-1');
    expect(input?.error).toBe('ReleaseAborted');
    expect(input?.cause).toContain('slack:UALLOWED (alice)');
    expect(fetchMock).toHaveBeenCalledWith(RESPONSE_URL, expect.objectContaining({ method: 'POST' }));
    const posted = JSON.parse(fetchMock.mock.calls[0]?.[1]?.body as string) as { response_type: string; text: string };
    expect(posted.response_type).toBe('in_channel');
    expect(posted.text).toContain('<@UALLOWED>');
  });

  it('succeeds the waiting bake token for a promote with the Slack user as promoter', async () => {
    // Act
    await handler(work('promote'), lambdaContextFixture());

    // Assess
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-1' });
    const output = JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.output as string) as Record<string, unknown>;
    expect(output.promotedBy).toBe('slack:UALLOWED (alice)');
    expect(sfn).not.toHaveReceivedCommand(SendTaskFailureCommand);
  });

  it('does not promote a newer release than the one the button was for', async () => {
    // Act
    const result = await handler(work('promote', { releaseId: 'web-prod-older' }), lambdaContextFixture());

    // Assess
    expect(result.acted).toBe(false);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(result.text).toContain('no longer running');
  });

  it('changes nothing and says so when no bake is waiting', async () => {
    // Prepare
    ddb.on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } }).resolves({});

    // Act
    const result = await handler(work('rollback'), lambdaContextFixture());

    // Assess
    expect(result.acted).toBe(false);
    expect(sfn).not.toHaveReceivedCommand(SendTaskFailureCommand);
    expect((JSON.parse(fetchMock.mock.calls[0]?.[1]?.body as string) as { response_type: string }).response_type).toBe('ephemeral');
  });

  it('reports an AWS failure to the asker instead of throwing (no retry runs the action twice)', async () => {
    // Prepare
    sfn.on(SendTaskFailureCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    // Act
    const result = await handler(work('abort'), lambdaContextFixture());

    // Assess
    expect(result.error?.name).toBe('ThrottlingException');
    expect((JSON.parse(fetchMock.mock.calls[0]?.[1]?.body as string) as { text: string }).text).toContain('could not abort');
  });

  it('keeps the action when Slack is down', async () => {
    // Prepare
    fetchMock.mockResolvedValue(new Response('oops', { status: 500 }));

    // Act
    const result = await handler(work('rollback'), lambdaContextFixture());

    // Assess
    expect(result).toMatchObject({ acted: true, delivered: false });
  });

  it('records an Approve in the approval store the CLI uses and answers the approval token, for a release parked at the approval gate', async () => {
    // Prepare
    const gate = { name: 'approval', taskToken: 'approval-token', since: '2026-11-26T10:05:00.000Z', until: '2026-11-27T10:05:00.000Z' };
    ddb.on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } }).resolves({ Item: { ...lock, gate } });
    ddb.on(GetCommand, { Key: { pk: 'APPROVAL#prod#web', sk: 'CURRENT' } }).resolves({
      Item: {
        pk: 'APPROVAL#prod#web',
        sk: 'CURRENT',
        service: 'web',
        environment: 'prod',
        releaseId: 'web-prod-abc',
        executionArn,
        ledgerSortKey: '2026-11-26T10:00:00.000Z#web-prod-abc',
        taskToken: 'approval-token',
        imageDigest: 'sha256:abc',
        requestedBy: 'ci',
        allowSelfApproval: false,
        approvers: [],
        requestedAt: '2026-11-26T10:05:00.000Z',
        expiresAt: '2026-11-27T10:05:00.000Z',
      },
    });
    ddb.on(TransactWriteCommand).resolves({});
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });

    // Act
    const result = await handler(work('approve', { releaseId: 'web-prod-abc' }), lambdaContextFixture());

    // Assess
    expect(result.acted).toBe(true);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const decision = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update?.ExpressionAttributeValues?.[':decision'] as Record<string, unknown>;
    expect(decision).toMatchObject({ decision: 'approved', decidedBy: 'slack:UALLOWED (alice)' });
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'approval-token' });
  });

  describe('rollback of a finished release', () => {
    const ROLLBACK_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:cutover-prod-rollback';
    const ledgerRecord = (releaseId: string, startedAt: string, outcome = 'Succeeded'): Record<string, unknown> => ({
      pk: 'RELEASE#prod#web',
      sk: `${startedAt}#${releaseId}`,
      releaseId,
      executionArn: `arn:aws:states:eu-west-1:123456789012:execution:cutover-prod-release:${releaseId}`,
      service: 'web',
      environment: 'prod',
      outcome,
      startedAt,
      toTaskDefinition: `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${releaseId.slice(-1)}`,
    });

    beforeEach(() => {
      process.env.ROLLBACK_STATE_MACHINE_ARN = ROLLBACK_ARN;
      ddb.on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } }).resolves({});
      sfn.on(StartExecutionCommand).resolves({ executionArn: `${ROLLBACK_ARN.replace(':stateMachine:', ':execution:')}:r1`, startDate: new Date() });
    });

    afterEach(() => {
      delete process.env.ROLLBACK_STATE_MACHINE_ARN;
    });

    it('starts the rollback machine with the Slack user as requester when no release runs, and tells the channel', async () => {
      // Prepare
      ddb.on(QueryCommand).resolves({ Items: [ledgerRecord('web-rel-3', '2026-11-27T10:00:00.000Z'), ledgerRecord('web-rel-2', '2026-11-26T10:00:00.000Z', 'RolledBack'), ledgerRecord('web-rel-1', '2026-11-25T10:00:00.000Z')] });

      // Act
      const result = await handler(work('rollback'), lambdaContextFixture());

      // Assess
      expect(result.acted).toBe(true);
      expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
      const input = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
      expect(input?.stateMachineArn).toBe(ROLLBACK_ARN);
      expect(JSON.parse(input?.input ?? '')).toEqual({ service: 'web', environment: 'prod', requestedBy: 'slack:UALLOWED (alice)', reason: 'rollback from Slack' });
      expect(sfn).not.toHaveReceivedCommand(SendTaskFailureCommand);
      const posted = JSON.parse(fetchMock.mock.calls[0]?.[1]?.body as string) as { response_type: string; text: string };
      expect(posted.response_type).toBe('in_channel');
      expect(posted.text).toContain('web-rel-1');
      expect(posted.text).toContain('task-definition/web:1');
    });

    it('starts nothing and answers privately when the ledger has no earlier successful release', async () => {
      // Prepare
      ddb.on(QueryCommand).resolves({ Items: [ledgerRecord('web-rel-3', '2026-11-27T10:00:00.000Z')] });

      // Act
      const result = await handler(work('rollback'), lambdaContextFixture());

      // Assess
      expect(result.acted).toBe(false);
      expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
      const posted = JSON.parse(fetchMock.mock.calls[0]?.[1]?.body as string) as { response_type: string; text: string };
      expect(posted).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('no earlier one') });
    });

    it('aborts instead when a running release holds the lock', async () => {
      // Prepare
      ddb.on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } }).resolves({ Item: lock });
      sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });

      // Act
      const result = await handler(work('rollback'), lambdaContextFixture());

      // Assess
      expect(result.acted).toBe(true);
      expect(sfn).toHaveReceivedCommandTimes(SendTaskFailureCommand, 1);
      expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    });
  });

  it.each([
    ['not an object', 'rollback web'],
    ['an unknown action', work('destroy')],
    ['a response_url off Slack', work('rollback', { responseUrl: 'https://evil.example/x' })],
    ['an invalid service name', work('rollback', { service: 'Web;' })],
  ])('throws InvalidSlackWork for %s and calls nothing', async (_label, event) => {
    // Act
    const act = handler(event, lambdaContextFixture());

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidSlackWork' });
    expect(sfn.calls()).toHaveLength(0);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
