import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';
import { signSlackRequest } from '../../support/signSlackRequest.ts';

process.env.CUTOVER_ENVIRONMENT = 'prod';
process.env.SLACK_WORKER_FUNCTION_NAME = 'cutover-prod-slack-worker';
process.env.TABLE_NAME = 'cutover-table';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler } = await import('../../../lambdas/handlers/slackEndpoint.ts');

const SECRET = 'test-signing-secret';
const RESPONSE_URL = 'https://hooks.slack.com/commands/T1/2/abc';

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

function command(text: string, userId = 'UALLOWED'): string {
  return form({ command: '/cutover', text, user_id: userId, user_name: 'alice', channel_id: 'COPS', response_url: RESPONSE_URL, team_id: 'T1' });
}

function apiEvent(resource: string, body: string, headers: Record<string, string | undefined>): APIGatewayProxyEvent {
  return {
    resource,
    path: resource,
    httpMethod: 'POST',
    headers: Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)) as Record<string, string>,
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: { identity: { sourceIp: '192.0.2.1' } } as APIGatewayProxyEvent['requestContext'],
  };
}

function signedEvent(resource: string, body: string, timestamp = Math.floor(Date.now() / 1000).toString()): APIGatewayProxyEvent {
  return apiEvent(resource, body, {
    'Content-Type': 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': timestamp,
    'X-Slack-Signature': signSlackRequest(SECRET, timestamp, body),
  });
}

async function invoke(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  return (await handler(event, lambdaContextFixture())) as APIGatewayProxyResult;
}

describe('Function: handler (slackEndpoint)', () => {
  const ssm = mockClient(SSMClient);
  const lambda = mockClient(LambdaClient);
  const ddb = mockClient(DynamoDBDocumentClient);

  beforeEach(() => {
    ddb.on(PutCommand).resolves({});
    ssm.on(GetParameterCommand, { Name: '/cutover/prod/slack/signing-secret' }).resolves({ Parameter: { Value: SECRET } });
    ssm.on(GetParameterCommand, { Name: '/cutover/prod/slack/allowed' }).resolves({ Parameter: { Value: JSON.stringify({ users: ['UALLOWED'] }) } });
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  });

  afterEach(() => {
    ssm.reset();
    lambda.reset();
    ddb.reset();
  });

  describe('replay protection', () => {
    it('records the signature of an accepted action with a conditional put that expires after six minutes, before queueing it', async () => {
      // Prepare
      const event = signedEvent('/slack/commands', command('rollback web prod'));

      // Act
      await invoke(event);

      // Assess
      expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
      const put = ddb.commandCalls(PutCommand)[0]?.args[0].input;
      expect(put?.TableName).toBe('cutover-table');
      expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
      expect(put?.Item).toMatchObject({ pk: `SLACKREQUEST#${event.headers['X-Slack-Signature'] as string}`, sk: 'REQUEST' });
      expect(Number(put?.Item?.expiresAt) - Number(put?.Item?.acceptedAt)).toBe(360);
      expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    });

    it('answers a signed request replayed within the window with an ephemeral "already handled" and queues nothing', async () => {
      // Prepare
      ddb.on(PutCommand).rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));

      // Act
      const response = await invoke(signedEvent('/slack/commands', command('rollback web prod')));

      // Assess
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ response_type: 'ephemeral', text: expect.stringContaining('already handled') });
      expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    });

    it('queues nothing and says nothing was changed when the request cannot be recorded', async () => {
      // Prepare
      ddb.on(PutCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));

      // Act
      const response = await invoke(signedEvent('/slack/commands', command('promote web prod')));

      // Assess
      expect(JSON.parse(response.body)).toEqual({ response_type: 'ephemeral', text: expect.stringContaining('nothing was changed') });
      expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    });

    it('writes nothing for a refused user', async () => {
      // Act
      await invoke(signedEvent('/slack/commands', command('rollback web prod', 'UOTHER')));

      // Assess
      expect(ddb).not.toHaveReceivedCommand(PutCommand);
    });
  });

  describe('signature', () => {
    it.each([
      ['no signature', (event: APIGatewayProxyEvent) => ({ ...event, headers: { 'X-Slack-Request-Timestamp': event.headers['X-Slack-Request-Timestamp'] as string } })],
      ['no timestamp', (event: APIGatewayProxyEvent) => ({ ...event, headers: { 'X-Slack-Signature': event.headers['X-Slack-Signature'] as string } })],
      ['a tampered body', (event: APIGatewayProxyEvent) => ({ ...event, body: (event.body ?? '').replace('rollback', 'promote') })],
      ['a signature made with another secret', (event: APIGatewayProxyEvent) => ({ ...event, headers: { ...event.headers, 'X-Slack-Signature': signSlackRequest('other', event.headers['X-Slack-Request-Timestamp'] as string, event.body ?? '') } })],
    ])('answers 401 with no detail and invokes nothing for %s', async (_label, spoil) => {
      // Prepare
      const event = spoil(signedEvent('/slack/commands', command('rollback web prod')));

      // Act
      const response = await invoke(event);

      // Assess
      expect(response).toEqual({ statusCode: 401, body: '' });
      expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    });

    it('answers 401 to a replayed request signed more than five minutes ago', async () => {
      // Prepare
      const stale = (Math.floor(Date.now() / 1000) - 301).toString();

      // Act
      const response = await invoke(signedEvent('/slack/commands', command('rollback web prod'), stale));

      // Assess
      expect(response.statusCode).toBe(401);
      expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    });

    it('verifies the raw body of a base64-encoded request', async () => {
      // Prepare
      const event = signedEvent('/slack/commands', command('status web'));
      const encoded = { ...event, body: Buffer.from(event.body ?? '').toString('base64'), isBase64Encoded: true };

      // Act
      const response = await invoke(encoded);

      // Assess
      expect(response.statusCode).toBe(200);
    });
  });

  describe('commands', () => {
    it('acknowledges a rollback from an allowed user at once and queues it for the worker', async () => {
      // Act
      const response = await invoke(signedEvent('/slack/commands', command('rollback web prod')));

      // Assess
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ response_type: 'ephemeral', text: 'Rolling back web in prod…' });
      expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
      const call = lambda.commandCalls(InvokeCommand)[0];
      expect(call?.args[0].input.FunctionName).toBe('cutover-prod-slack-worker');
      expect(call?.args[0].input.InvocationType).toBe('Event');
      expect(JSON.parse(new TextDecoder().decode(call?.args[0].input.Payload as Uint8Array))).toEqual({
        kind: 'act',
        action: 'rollback',
        service: 'web',
        environment: 'prod',
        actor: { userId: 'UALLOWED', userName: 'alice' },
        channelId: 'COPS',
        responseUrl: RESPONSE_URL,
      });
    });

    it('defaults the environment to the one this endpoint serves', async () => {
      // Act
      await invoke(signedEvent('/slack/commands', command('promote web')));

      // Assess
      const payload = JSON.parse(new TextDecoder().decode(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.Payload as Uint8Array)) as Record<string, unknown>;
      expect(payload).toMatchObject({ action: 'promote', service: 'web', environment: 'prod' });
    });

    it.each(['rollback', 'abort', 'promote'])('refuses %s from a user who is not allowed, ephemerally, and queues nothing', async (verb) => {
      // Act
      const response = await invoke(signedEvent('/slack/commands', command(`${verb} web prod`, 'UOTHER')));

      // Assess
      expect(JSON.parse(response.body)).toEqual({ response_type: 'ephemeral', text: expect.stringContaining('not allowed') });
      expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    });

    it('lets anyone in the workspace ask for status', async () => {
      // Act
      const response = await invoke(signedEvent('/slack/commands', command('status web', 'UOTHER')));

      // Assess
      expect(JSON.parse(response.body)).toEqual({ response_type: 'ephemeral', text: 'Looking up web in prod…' });
      expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    });

    it.each(['', 'help', 'deploy web', 'rollback', 'rollback web prod extra', 'rollback Web', 'rollback web staging'])(
      'answers %j with a short text and queues nothing',
      async (text) => {
        // Act
        const response = await invoke(signedEvent('/slack/commands', command(text)));

        // Assess
        expect(response.statusCode).toBe(200);
        expect((JSON.parse(response.body) as { response_type: string }).response_type).toBe('ephemeral');
        expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
      },
    );

    it('answers a form without a user or response_url with the usage text', async () => {
      // Act
      const response = await invoke(signedEvent('/slack/commands', form({ text: 'rollback web prod' })));

      // Assess
      expect((JSON.parse(response.body) as { text: string }).text).toMatch(/^Usage:/);
      expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    });

    it('says nothing was changed when the worker cannot be invoked', async () => {
      // Prepare
      lambda.on(InvokeCommand).rejects(Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' }));

      // Act
      const response = await invoke(signedEvent('/slack/commands', command('rollback web prod')));

      // Assess
      expect(response.statusCode).toBe(200);
      expect((JSON.parse(response.body) as { text: string }).text).toContain('nothing was changed');
    });

    it('never crashes and never queues an action on junk bodies', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string(), fc.dictionary(fc.string(), fc.string()).map((fields) => form(fields))), async (body) => {
          // Prepare
          lambda.resetHistory();

          // Act
          const response = await invoke(signedEvent('/slack/commands', body));

          // Assess
          expect(response.statusCode).toBe(200);
          expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('interactions', () => {
    function click(actionId: string, userId: string, value: unknown): string {
      return form({
        payload: JSON.stringify({
          type: 'block_actions',
          user: { id: userId, username: 'alice' },
          channel: { id: 'COPS' },
          response_url: RESPONSE_URL,
          actions: [{ action_id: actionId, value: JSON.stringify(value) }],
        }),
      });
    }
    const release = { service: 'web', environment: 'prod', releaseId: 'web-prod-abc' };

    it('answers an empty 200 and queues a promote of exactly the release the button was for', async () => {
      // Act
      const response = await invoke(signedEvent('/slack/interactions', click('cutover_promote', 'UALLOWED', release)));

      // Assess
      expect(response).toEqual({ statusCode: 200, body: '' });
      const payload = JSON.parse(new TextDecoder().decode(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.Payload as Uint8Array)) as Record<string, unknown>;
      expect(payload).toMatchObject({ kind: 'act', action: 'promote', releaseId: 'web-prod-abc', actor: { userId: 'UALLOWED', userName: 'alice' } });
    });

    it('queues only a refusal for a user who is not allowed', async () => {
      // Act
      await invoke(signedEvent('/slack/interactions', click('cutover_rollback', 'UOTHER', release)));

      // Assess
      const payload = JSON.parse(new TextDecoder().decode(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.Payload as Uint8Array)) as Record<string, unknown>;
      expect(payload).toEqual({ kind: 'reply', responseUrl: RESPONSE_URL, text: expect.stringContaining('not allowed') });
    });

    it.each([
      ['an unknown action', click('delete_everything', 'UALLOWED', release)],
      ['a button value that is not a release', click('cutover_promote', 'UALLOWED', { service: 'web' })],
      ['a payload that is not JSON', form({ payload: '{' })],
      ['a response_url off Slack', form({ payload: JSON.stringify({ type: 'block_actions', user: { id: 'UALLOWED' }, response_url: 'https://evil.example/x', actions: [{ action_id: 'cutover_promote', value: JSON.stringify(release) }] }) })],
    ])('ignores %s', async (_label, body) => {
      // Act
      const response = await invoke(signedEvent('/slack/interactions', body));

      // Assess
      expect(response.statusCode).toBe(200);
      expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    });
  });
});
