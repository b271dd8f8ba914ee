import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { slackParameterNames } from '../../lambdas/domain/slackParameterNames.ts';
import type { AwsCall } from '../../sandbox/account/CallLog.ts';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { seedExampleService, type ExampleService } from '../../sandbox/account/seedExampleService.ts';
import { callContext } from '../../sandbox/callContext.ts';
import { invokeLambda, loadHandler, type LambdaHandler } from '../../sandbox/lambdaRuntime.ts';
import { DEFAULT_START_AT, LocalRunner, type LocalRunResult } from '../../sandbox/localRunner.ts';
import { signSlackRequest } from '../support/signSlackRequest.ts';

const SECRET = 'sandbox-signing-secret';
const WORKER = 'cutover-sandbox-slackWorker';
const RESPONSE_URL = 'https://hooks.slack.com/commands/T1/42/rollback';
const DAY_MS = 86_400_000;
const digestOf = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;

/** A slash command's form body, as Slack sends it. */
function commandBody(text: string, userId = 'UALLOWED'): string {
  return new URLSearchParams({ command: '/cutover', text, user_id: userId, user_name: 'alice', channel_id: 'COPS', team_id: 'T1', response_url: RESPONSE_URL }).toString();
}

/** API Gateway's proxy event for `POST /slack/commands`, signed at `timestamp` (virtual seconds) unless `signature` is given. */
function slashCommand(body: string, options: { readonly timestamp?: number; readonly signature?: string | null } = {}): APIGatewayProxyEvent {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = options.signature === undefined ? signSlackRequest(SECRET, timestamp, body) : options.signature;
  return {
    resource: '/slack/commands',
    path: '/slack/commands',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Slack-Request-Timestamp': timestamp, ...(signature === null ? {} : { 'X-Slack-Signature': signature }) },
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

/** A button click's form body (`payload=<JSON>`), as Slack sends it for a release message's Promote or Roll back. */
function buttonBody(actionId: 'cutover_promote' | 'cutover_rollback', releaseId: string, userId = 'UALLOWED'): string {
  const payload = {
    type: 'block_actions',
    user: { id: userId, username: 'alice' },
    channel: { id: 'COPS' },
    response_url: RESPONSE_URL,
    actions: [{ action_id: actionId, value: JSON.stringify({ service: 'web', environment: 'prod', releaseId }) }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** API Gateway's proxy event for `POST /slack/interactions`, signed now. */
function buttonClick(body: string): APIGatewayProxyEvent {
  return { ...slashCommand(body), resource: '/slack/interactions', path: '/slack/interactions' };
}

describe('Sandbox: /cutover rollback from Slack', () => {
  const account = new SimulatedAccount();
  const posted: { url: string; body: { response_type: string; text: string } }[] = [];
  const answers: APIGatewayProxyResult[] = [];
  let endpoint: LambdaHandler;
  let runner: LocalRunner;
  let example: ExampleService;

  /** API Gateway invoking the shipped endpoint handler; its AWS calls are tagged `slack`. */
  const post = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const answer = (await callContext.run({ actor: 'slack', functionName: 'cutover-sandbox-slackEndpoint' }, () =>
      invokeLambda(endpoint, event, { functionName: 'cutover-sandbox-slackEndpoint', region: account.region, accountId: account.accountId }),
    )) as APIGatewayProxyResult;
    answers.push(answer);
    return answer;
  };
  const releaseInput = (digit: number): Record<string, unknown> => ({
    service: example.service,
    environment: example.environment,
    image: { repository: example.repository, digest: digestOf(digit) },
    requestedBy: 'alice',
  });
  const dayStart = (day: number): Date => new Date(DEFAULT_START_AT.getTime() + day * DAY_MS);
  const ledger = (): readonly Record<string, unknown>[] => account.dynamodb.documents(account.tableName, `RELEASE#${example.environment}#${example.service}`);
  const weightOf = (call: AwsCall, targetGroupArn: string): number | undefined => {
    const actions = (call.input.Actions ?? []) as { ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string; Weight?: number }[] } }[];
    return actions.flatMap((action) => action.ForwardConfig?.TargetGroups ?? []).find((group) => group.TargetGroupArn === targetGroupArn)?.Weight;
  };
  /** Calls that changed something, made by Slack's endpoint or the worker it invoked. */
  const slackMutations = (): readonly AwsCall[] => account.mutatingCalls().filter((call) => call.origin?.actor === 'slack' || call.origin?.actor === 'lambda');

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    account.install();
    // The endpoint's Lambda configuration (lib/SlackApi.ts), read when its module loads.
    Object.assign(process.env, account.handlerEnvironment(), { CUTOVER_ENVIRONMENT: 'prod', SLACK_WORKER_FUNCTION_NAME: WORKER });
    endpoint = await loadHandler('lambdas/handlers/slackEndpoint.ts');
  });

  afterAll(() => {
    account.uninstall();
  });

  beforeEach(async () => {
    account.reset();
    posted.length = 0;
    answers.length = 0;
    runner = new LocalRunner({ account });
    example = seedExampleService(account);
    const names = slackParameterNames(example.environment);
    account.ssm.seedParameter(names.signingSecret, SECRET, 'SecureString');
    account.ssm.seedParameter(names.allowed, JSON.stringify({ users: ['UALLOWED'] }));
    account.lambda.registerFunction({
      functionName: WORKER,
      handler: await loadHandler('lambdas/handlers/slackWorker.ts'),
      environment: { ...account.handlerEnvironment(), CUTOVER_ENVIRONMENT: example.environment, ROLLBACK_STATE_MACHINE_ARN: runner.rollbackStateMachineArn() },
    });
    // Slack itself: the worker's answers to response_url.
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        posted.push({ url, body: JSON.parse(String(init?.body)) as { response_type: string; text: string } });
        return new Response('ok', { status: 200 });
      }),
    );
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('rolls a release back two state transitions after a signed rollback from an allowed user during a bake', async () => {
    // Prepare
    runner.onTaskWaiting('Bake', async ({ occurrence }) => {
      if (occurrence === 1) await post(slashCommand(commandBody('rollback web prod')));
    });

    // Act
    const result = await runner.run(releaseInput(2), { startAt: dayStart(1) });

    // Assess
    expect(answers).toEqual([expect.objectContaining({ statusCode: 200, body: JSON.stringify({ response_type: 'ephemeral', text: 'Rolling back web in prod…' }) })]);
    expect(account.asyncInvocations.map((invocation) => [invocation.functionName, invocation.error])).toEqual([[WORKER, undefined]]);
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('ReleaseRolledBack');
    const [abort] = account.calls('SendTaskFailure');
    expect(abort?.origin?.actor).toBe('lambda');
    const restore = account.calls('ModifyRule').find((call) => call.at >= (abort?.at ?? Infinity) && weightOf(call, example.blue.targetGroupArn) === 100);
    expect(restore).toBeDefined();
    expect(restore?.origin?.stateName).toBe('Rollback');
    // From the abort to the state whose call put blue back at 100 %, as Step Functions bills transitions.
    const first = result.events.findIndex((event) => event.at >= (abort?.at ?? Infinity));
    const last = result.events.findLastIndex((event) => event.type === 'StateEntered' && event.stateName === restore?.origin?.stateName && event.at <= (restore?.at ?? 0));
    const transitions = result.events.slice(first, last + 1).filter((event) => event.type === 'StateEntered' || event.type === 'StateRetried');
    expect(transitions.map((event) => event.stateName)).toEqual(['BakeInterrupted', 'Rollback']);
    expect(ledger()).toEqual([expect.objectContaining({ outcome: 'RolledBack', cause: expect.stringContaining('aborted by slack:UALLOWED (alice)') })]);
    expect(posted).toEqual([{ url: RESPONSE_URL, body: expect.objectContaining({ response_type: 'in_channel', text: expect.stringContaining('aborted: rolling back') }) }]);
    expect(account.calls('PutItem').filter((call) => call.origin?.actor === 'slack')).toHaveLength(1);
  });

  it.each([
    ['unsigned', (body: string) => slashCommand(body, { signature: null })],
    ['signed with another secret', (body: string) => slashCommand(body, { signature: signSlackRequest('not-the-secret', String(Math.floor(Date.now() / 1000)), body) })],
    ['signed six minutes ago', (body: string) => slashCommand(body, { timestamp: Math.floor(Date.now() / 1000) - 360 })],
  ])('changes nothing for a rollback that is %s: 401, no AWS call changes anything, the release succeeds', async (_label, make) => {
    // Prepare
    runner.onTaskWaiting('Bake', async ({ occurrence }) => {
      if (occurrence === 1) await post(make(commandBody('rollback web prod')));
    });

    // Act
    const result = await runner.run(releaseInput(2), { startAt: dayStart(1) });

    // Assess
    expect(answers).toEqual([{ statusCode: 401, body: '' }]);
    expect(slackMutations()).toEqual([]);
    expect(account.asyncInvocations).toEqual([]);
    expect(posted).toEqual([]);
    expect(result.status).toBe('SUCCEEDED');
  });

  it('changes nothing for a signed rollback from a user who is not allowed, who is told so privately', async () => {
    // Prepare
    runner.onTaskWaiting('Bake', async ({ occurrence }) => {
      if (occurrence === 1) await post(slashCommand(commandBody('rollback web prod', 'USOMEONE')));
    });

    // Act
    const result = await runner.run(releaseInput(2), { startAt: dayStart(1) });

    // Assess
    expect(answers.map((answer) => JSON.parse(answer.body) as unknown)).toEqual([{ response_type: 'ephemeral', text: expect.stringContaining('not allowed') }]);
    expect(slackMutations()).toEqual([]);
    expect(account.asyncInvocations).toEqual([]);
    expect(result.status).toBe('SUCCEEDED');
  });

  it('acts once on a signed rollback replayed within the five minutes: the replay is answered "already handled"', async () => {
    // Prepare
    runner.onTaskWaiting('Bake', async ({ occurrence }) => {
      if (occurrence !== 1) return;
      const captured = slashCommand(commandBody('rollback web prod'));
      await post(captured);
      // An attacker (or a proxy) sends the captured request again a minute later, still inside Slack's window.
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      await post(captured);
    });

    // Act
    const result = await runner.run(releaseInput(2), { startAt: dayStart(1) });

    // Assess
    expect(answers.map((answer) => (JSON.parse(answer.body) as { text: string }).text)).toEqual(['Rolling back web in prod…', expect.stringContaining('already handled')]);
    expect(account.calls('Invoke')).toHaveLength(1);
    expect(account.calls('SendTaskFailure')).toHaveLength(1);
    expect(account.calls('PutItem').filter((call) => call.origin?.actor === 'slack').map((call) => call.error)).toEqual([undefined, 'ConditionalCheckFailedException']);
    expect(result.error).toBe('ReleaseRolledBack');
  });

  it('returns a service to the previous release task definition, all at once, when no release runs', async () => {
    // Prepare
    expect((await runner.run(releaseInput(2), { executionName: 'web-release-2', startAt: dayStart(1) })).status).toBe('SUCCEEDED');
    expect((await runner.run(releaseInput(3), { executionName: 'web-release-3', startAt: dayStart(2) })).status).toBe('SUCCEEDED');
    const previous = ledger().find((record) => record.releaseId === 'web-release-2');
    account.log.clear();

    // Act
    const results: LocalRunResult[] = await runner.runTriggered(async () => {
      await post(slashCommand(commandBody('rollback web prod')));
    }, dayStart(3));

    // Assess
    expect(results.map((result) => [result.executionArn.split(':').at(-2), result.status])).toEqual([
      ['cutover-sandbox-rollback', 'SUCCEEDED'],
      ['cutover-sandbox-release', 'SUCCEEDED'],
    ]);
    const live = account.elbv2.weights(example.productionListenerRuleArn).find((group) => group.weight === 100)?.targetGroupArn;
    const liveService = live === example.blue.targetGroupArn ? example.blue.serviceName : example.green.serviceName;
    expect(account.ecs.describe(liveService).taskDefinition).toBe(previous?.toTaskDefinition);
    // All at once: one weight change, straight to 100 %, and the rollback registered no task definition.
    expect(account.calls('ModifyRule').map((call) => weightOf(call, String(live)))).toEqual([100]);
    expect(account.calls('RegisterTaskDefinition')).toEqual([]);
    expect(ledger().find((record) => record.executionArn === results[1]?.executionArn)).toMatchObject({
      kind: 'rollback',
      outcome: 'Succeeded',
      rollbackOf: 'web-release-3',
      rollbackTo: { releaseId: 'web-release-2', taskDefinitionArn: previous?.toTaskDefinition },
      requestedBy: 'slack:UALLOWED (alice)',
    });
    expect(posted).toEqual([{ url: RESPONSE_URL, body: expect.objectContaining({ response_type: 'in_channel', text: expect.stringContaining(results[0]?.executionArn ?? '?') }) }]);
  });

  it('changes nothing for an old message\'s Roll back after its release ended, and says the release is no longer running', async () => {
    // Prepare
    expect((await runner.run(releaseInput(2), { executionName: 'web-release-2', startAt: dayStart(1) })).status).toBe('SUCCEEDED');
    expect((await runner.run(releaseInput(3), { executionName: 'web-release-3', startAt: dayStart(2) })).status).toBe('SUCCEEDED');
    account.log.clear();

    // Act
    const results = await runner.runTriggered(async () => {
      await post(buttonClick(buttonBody('cutover_rollback', 'web-release-2')));
    }, dayStart(3));

    // Assess
    expect(answers).toEqual([expect.objectContaining({ statusCode: 200, body: '' })]);
    expect(account.asyncInvocations.map((invocation) => [invocation.functionName, invocation.error])).toEqual([[WORKER, undefined]]);
    expect(results).toEqual([]);
    expect(account.calls('StartExecution')).toEqual([]);
    // The endpoint recorded the request (replay guard) and queued the work; the worker changed nothing.
    expect(account.mutatingCalls().map((call) => [call.origin?.actor, call.operation])).toEqual([
      ['slack', 'PutItem'],
      ['slack', 'Invoke'],
    ]);
    // The worker only read the lock.
    expect(account.calls().filter((call) => call.origin?.functionName === WORKER).map((call) => call.operation)).toEqual(['GetItem']);
    expect(posted.map((message) => message.body)).toEqual([
      { response_type: 'ephemeral', text: 'web in prod: release web-release-2 is no longer running, nothing to rollback. Nothing was changed.', replace_original: false },
    ]);
  });

  it('never touches a newer running release from an old message\'s Roll back or Promote', async () => {
    // Prepare
    expect((await runner.run(releaseInput(2), { executionName: 'web-release-2', startAt: dayStart(1) })).status).toBe('SUCCEEDED');
    runner.onTaskWaiting('Bake', async ({ occurrence }) => {
      if (occurrence !== 1) return;
      await post(buttonClick(buttonBody('cutover_rollback', 'web-release-2')));
      await post(buttonClick(buttonBody('cutover_promote', 'web-release-2')));
    });
    account.log.clear();

    // Act
    const result = await runner.run(releaseInput(3), { executionName: 'web-release-3', startAt: dayStart(2) });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(account.calls('SendTaskFailure')).toEqual([]);
    expect(account.calls('SendTaskSuccess').filter((call) => call.origin?.actor === 'lambda' && call.origin.functionName === WORKER)).toEqual([]);
    expect(account.calls('StartExecution').filter((call) => call.origin?.actor === 'lambda')).toEqual([]);
    // Each click: the worker read the lock (held by web-release-3), and nothing else.
    expect(account.calls().filter((call) => call.origin?.functionName === WORKER).map((call) => call.operation)).toEqual(['GetItem', 'GetItem']);
    expect(posted.map((message) => message.body.text)).toEqual([
      'web in prod: release web-release-2 is no longer running, nothing to rollback. Nothing was changed.',
      'web in prod: release web-release-2 is no longer running, nothing to promote. Nothing was changed.',
    ]);
  });

  it('starts nothing after the only successful release, and says there is no earlier one', async () => {
    // Prepare
    expect((await runner.run(releaseInput(2), { startAt: dayStart(1) })).status).toBe('SUCCEEDED');
    account.log.clear();

    // Act
    const results = await runner.runTriggered(async () => {
      await post(slashCommand(commandBody('rollback web prod')));
    }, dayStart(2));

    // Assess
    expect(results).toEqual([]);
    expect(account.calls('StartExecution')).toEqual([]);
    expect(posted.map((message) => message.body)).toEqual([{ response_type: 'ephemeral', text: expect.stringContaining('no earlier one'), replace_original: false }]);
  });
});
