import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';

process.env.TABLE_NAME = 'cutover-table';
process.env.CUTOVER_ENVIRONMENT = 'prod';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const { handler } = await import('../../../lambdas/handlers/slackNotifier.ts');

const serviceConfig = {
  cluster: 'prod',
  containerName: 'web',
  blue: { serviceName: 'web-blue', targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-blue/0123456789abcdef' },
  green: { serviceName: 'web-green', targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-green/fedcba9876543210' },
  productionListenerRuleArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/prod/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee',
  alarmNames: ['web-5xx'],
  slack: { channel: 'CRELEASES' },
};

function phaseEvent(detail: Record<string, unknown>): { detail: Record<string, unknown> } {
  return { detail: { releaseId: 'web-prod-abc', service: 'web', environment: 'prod', at: '2026-11-26T10:00:00.000Z', ...detail } };
}

describe('Function: handler (slackNotifier)', () => {
  const ssm = mockClient(SSMClient);
  const ddb = mockClient(DynamoDBDocumentClient);
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    ssm.on(GetParameterCommand, { Name: '/cutover/prod/slack/bot-token' }).resolves({ Parameter: { Value: 'xoxb-test' } });
    ssm.on(GetParameterCommand, { Name: '/cutover/prod/services/web' }).resolves({ Parameter: { Value: JSON.stringify(serviceConfig) } });
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    vi.stubGlobal('fetch', fetchMock);
  });

  afterEach(() => {
    ssm.reset();
    ddb.reset();
    fetchMock.mockReset();
    vi.unstubAllGlobals();
  });

  it('posts the first phase of a release and remembers the message', async () => {
    // Prepare
    fetchMock.mockResolvedValue(Response.json({ ok: true, ts: '1700000000.000100' }));

    // Act
    const result = await handler(phaseEvent({ phase: 'Started', weight: 0 }), lambdaContextFixture());

    // Assess
    expect(result).toEqual({ outcome: 'posted', channel: 'CRELEASES', ts: '1700000000.000100' });
    expect(fetchMock.mock.calls[0]?.[0]).toBe('https://slack.com/api/chat.postMessage');
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'SLACK#prod#web-prod-abc', sk: 'MESSAGE', channel: 'CRELEASES', ts: '1700000000.000100' }) });
  });

  it('updates the same message for a later phase, with Promote and Roll back buttons when waiting', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: { pk: 'SLACK#prod#web-prod-abc', sk: 'MESSAGE', channel: 'CRELEASES', ts: '1700000000.000100' } });
    fetchMock.mockResolvedValue(Response.json({ ok: true, ts: '1700000000.000100' }));

    // Act
    const result = await handler(phaseEvent({ phase: 'WaitingForPromotion', weight: 50, stepIndex: 1 }), lambdaContextFixture());

    // Assess
    expect(result).toMatchObject({ outcome: 'updated' });
    expect(fetchMock.mock.calls[0]?.[0]).toBe('https://slack.com/api/chat.update');
    const body = JSON.parse(fetchMock.mock.calls[0]?.[1]?.body as string) as { ts: string; blocks: { type: string; elements?: { action_id: string; value: string }[] }[] };
    expect(body.ts).toBe('1700000000.000100');
    const buttons = body.blocks.find((block) => block.type === 'actions')?.elements ?? [];
    expect(buttons.map((button) => button.action_id)).toEqual(['cutover_promote', 'cutover_rollback']);
    expect(JSON.parse(buttons[0]?.value ?? '{}')).toEqual({ service: 'web', environment: 'prod', releaseId: 'web-prod-abc' });
  });

  it('does not throw when Slack answers 500', async () => {
    // Prepare
    fetchMock.mockResolvedValue(new Response('down', { status: 500 }));

    // Act
    const result = await handler(phaseEvent({ phase: 'RolledBack', cause: 'AlarmFired: web-5xx' }), lambdaContextFixture());

    // Assess
    expect(result).toEqual({ outcome: 'failed', reason: 'chat.postMessage: http_500' });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('does not throw when Slack times out', async () => {
    // Prepare
    fetchMock.mockRejectedValue(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));

    // Act
    const result = await handler(phaseEvent({ phase: 'Succeeded' }), lambdaContextFixture());

    // Assess
    expect(result).toEqual({ outcome: 'failed', reason: 'chat.postMessage: TimeoutError' });
  });

  it('does not throw when DynamoDB fails', async () => {
    // Prepare
    ddb.on(GetCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));

    // Act
    const result = await handler(phaseEvent({ phase: 'Succeeded' }), lambdaContextFixture());

    // Assess
    expect(result.outcome).toBe('failed');
  });

  it('skips a service without a Slack channel', async () => {
    // Prepare
    const { slack: _slack, ...withoutSlack } = serviceConfig;
    ssm.on(GetParameterCommand, { Name: '/cutover/prod/services/api' }).resolves({ Parameter: { Value: JSON.stringify(withoutSlack) } });

    // Act
    const result = await handler({ detail: { ...phaseEvent({ phase: 'Started' }).detail, service: 'api' } }, lambdaContextFixture());

    // Assess
    expect(result.outcome).toBe('skipped');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('does not throw on an event that is not a phase change', async () => {
    // Act
    const result = await handler({ detail: { phase: 'Exploded' } }, lambdaContextFixture());

    // Assess
    expect(result.outcome).toBe('failed');
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
