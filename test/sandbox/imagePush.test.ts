import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ecrImageActionEvent, type EcrImageActionOptions } from '../../sandbox/account/ecrImageActionEvent.ts';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { seedExampleService, type ExampleService } from '../../sandbox/account/seedExampleService.ts';
import { DEFAULT_START_AT, LocalRunner, type LocalRunResult } from '../../sandbox/localRunner.ts';

/** A digest as ECR computes it for an image, derived from a label so that each test's images differ. */
const digestOf = (label: string): string => `sha256:${createHash('sha256').update(label).digest('hex')}`;

/** Virtual time passing inside a run (the runner's clock is installed while `act` runs). */
const virtualDelay = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

interface PushOutcome {
  readonly outcome?: string;
  readonly releases?: readonly { readonly executionArn: string; readonly started: boolean }[];
}

describe('Sandbox: ECR push', () => {
  const account = new SimulatedAccount();
  let runner: LocalRunner;
  let example: ExampleService;
  let day = 0;
  let startAt: Date;

  /** ECR stores the image, then emits its `ECR Image Action` event (which the caller delivers). */
  const push = (imageTag: string, imageDigest: string, overrides: Partial<EcrImageActionOptions> = {}): Record<string, unknown> => {
    if ((overrides.actionType ?? 'PUSH') === 'PUSH' && (overrides.result ?? 'SUCCESS') === 'SUCCESS') account.ecr.seedImage(example.service, imageDigest, [imageTag]);
    return ecrImageActionEvent({ accountId: account.accountId, region: account.region, repositoryName: example.service, imageDigest, imageTag, ...overrides });
  };
  const deliver = (event: unknown): void => account.deliverEvent('onImagePushed', event);
  const weights = (): { blue?: number; green?: number } => {
    const groups = account.elbv2.weights(example.productionListenerRuleArn);
    return {
      blue: groups.find((group) => group.targetGroupArn === example.blue.targetGroupArn)?.weight,
      green: groups.find((group) => group.targetGroupArn === example.green.targetGroupArn)?.weight,
    };
  };
  const imageOf = (serviceName: string): string | undefined => {
    const taskDefinitionArn = String(account.ecs.describe(serviceName).taskDefinition);
    const containers = (account.ecs.taskDefinition(taskDefinitionArn)?.containerDefinitions ?? []) as { name: string; image: string }[];
    return containers.find((container) => container.name === example.containerName)?.image;
  };
  const ledger = (): readonly Record<string, unknown>[] => account.dynamodb.documents(account.tableName, `RELEASE#${example.environment}#${example.service}`);
  const pushOutcomes = (): PushOutcome[] => account.eventInvocations.map((invocation) => {
    expect(invocation.error, invocation.errorMessage).toBeUndefined();
    return invocation.result as PushOutcome;
  });
  const firstEntered = (result: LocalRunResult, stateName: string): number | undefined =>
    result.events.find((event) => event.type === 'StateEntered' && event.stateName === stateName)?.at;

  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    account.install();
  });

  afterAll(() => {
    account.uninstall();
  });

  beforeEach(() => {
    account.reset();
    runner = new LocalRunner({ account });
    example = seedExampleService(account);
    account.setFunctionEnvironment('onImagePushed', { CUTOVER_ENVIRONMENT: example.environment, STATE_MACHINE_ARN: runner.releaseStateMachineArn() });
    // The handler module stays loaded across tests, like a warm Lambda, and caches the listed path for 30 s: a day
    // between tests makes each test's first push read SSM again.
    day += 1;
    startAt = new Date(DEFAULT_START_AT.getTime() + day * 86_400_000);
  });

  it('releases a pushed image whose tag matches the trigger, pinned to the pushed digest', async () => {
    // Prepare
    const digest = digestOf('web main-42');

    // Act
    const results = await runner.runTriggered(() => deliver(push('main-42', digest)), startAt);

    // Assess
    expect(results.map((result) => result.status)).toEqual(['SUCCEEDED']);
    expect(pushOutcomes()).toEqual([expect.objectContaining({ outcome: 'released', releases: [expect.objectContaining({ executionArn: results[0]?.executionArn, started: true })] })]);
    expect(account.calls('GetParametersByPath').map((call) => call.input)).toEqual([{ Path: `/cutover/${example.environment}/services`, Recursive: false, WithDecryption: true }]);
    expect(weights()).toEqual({ blue: 0, green: 100 });
    expect(imageOf(example.green.serviceName)).toBe(`${example.repository}@${digest}`);
    expect(account.ecs.describe(example.blue.serviceName).desiredCount).toBe(0);
    expect(ledger()).toEqual([expect.objectContaining({ outcome: 'Succeeded', imageDigest: digest, requestedBy: 'ecr push web:main-42', executionArn: results[0]?.executionArn })]);
  });

  it('starts one execution for an event delivered three times and for the same digest pushed under a second tag', async () => {
    // Prepare
    const digest = digestOf('web main-43');

    // Act
    const results = await runner.runTriggered(async () => {
      const event = push('main-43', digest);
      deliver(event);
      // EventBridge delivers at least once: the same event again a few seconds later, while the release runs.
      await virtualDelay(5_000);
      deliver(event);
      await virtualDelay(5_000);
      deliver(push('main-stable', digest));
      // And once more long after the release ended.
      await virtualDelay(3 * 3_600_000);
      deliver(event);
    }, startAt);

    // Assess
    expect(results.map((result) => result.status)).toEqual(['SUCCEEDED']);
    const outcomes = pushOutcomes();
    expect(outcomes).toHaveLength(4);
    expect(new Set(outcomes.flatMap((outcome) => (outcome.releases ?? []).map((release) => release.executionArn)))).toEqual(new Set([results[0]?.executionArn]));
    // The second tag asks with another input (its requestedBy) and the last repeat comes after the end: both refused.
    expect(account.calls('StartExecution').map((call) => call.error)).toEqual([undefined, undefined, 'ExecutionAlreadyExists', 'ExecutionAlreadyExists']);
    expect(outcomes[2]?.releases?.[0]?.started).toBe(false);
    expect(outcomes[3]?.releases?.[0]?.started).toBe(false);
    // The first three arrive within the handler's 30 s cache of the listed path; the last one, hours later, reads SSM again.
    expect(account.calls('GetParametersByPath')).toHaveLength(2);
    expect(ledger()).toEqual([expect.objectContaining({ outcome: 'Succeeded', imageDigest: digest, requestedBy: 'ecr push web:main-43' })]);
    expect(account.ecs.describe(example.green.serviceName).desiredCount).toBeGreaterThan(0);
  });

  it.each([
    { what: 'a push whose tag matches no trigger', overrides: { imageTag: 'feature-7' }, outcome: 'unmatched' },
    { what: 'a push to a repository no service releases from', overrides: { repositoryName: 'billing' }, outcome: 'unmatched' },
    { what: 'a DELETE action', overrides: { actionType: 'DELETE' }, outcome: 'ignored' },
    { what: 'a failed push', overrides: { result: 'FAILURE' }, outcome: 'ignored' },
  ] as const)('starts nothing and changes nothing for $what', async ({ overrides, outcome }) => {
    // Prepare
    const digest = digestOf('web junk');

    // Act
    const results = await runner.runTriggered(() => deliver(push('main-44', digest, overrides)), startAt);

    // Assess
    expect(results).toEqual([]);
    expect(pushOutcomes()).toEqual([expect.objectContaining({ outcome, releases: [] })]);
    expect(account.mutatingCalls()).toEqual([]);
    expect(account.calls().map((call) => call.operation)).toEqual(outcome === 'ignored' ? [] : ['GetParametersByPath']);
    expect(ledger()).toEqual([]);
    expect(weights()).toEqual({ blue: 100, green: 0 });
  });

  /** Runs a release of `older` from a push; `arm` decides when, during it, `newer` is pushed. */
  const pushDuringRelease = async (older: string, newer: string, arm: (pushNewer: () => void) => void): Promise<[LocalRunResult, LocalRunResult]> => {
    arm(() => {
      if (account.eventInvocations.length === 1) deliver(push('main-next', newer));
    });
    const results = await runner.runTriggered(() => deliver(push('main-first', older)), startAt);
    const [first, second] = results;
    if (first === undefined || second === undefined || results.length !== 2) throw new Error(`expected two executions, got ${results.length}`);
    return [first, second];
  };
  const expectQueuedThenReleased = (first: LocalRunResult, second: LocalRunResult, older: string, newer: string): void => {
    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(second.startedAt.getTime()).toBeLessThan(first.endedAt.getTime());
    const refusals = second.events.filter((event) => event.type === 'StateFailed' && event.stateName === 'Prepare').map((event) => event.error);
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals)).toEqual(new Set(['ReleaseQueued']));
    expect(second.events.filter((event) => event.type === 'StateRetried' && event.stateName === 'Prepare')).toHaveLength(refusals.length);
    // The newer release changed nothing until the older one had ended.
    expect(firstEntered(second, 'Build')).toBeGreaterThanOrEqual(first.endedAt.getTime());
    expect(ledger().map((record) => [record.imageDigest, record.outcome])).toEqual([
      [older, 'Succeeded'],
      [newer, 'Succeeded'],
    ]);
    // blue → green (older), then green → blue (newer): the newer image is live.
    expect(weights()).toEqual({ blue: 100, green: 0 });
    expect(imageOf(example.blue.serviceName)).toBe(`${example.repository}@${newer}`);
    expect(account.ecs.describe(example.green.serviceName).desiredCount).toBe(0);
  };

  /** Pushes the newer image while the older release waits for its new colour to get healthy, before traffic moves. */
  const whileDeploying = (pushNewer: () => void): void => {
    runner.onStateEntered('CheckIdleReady', ({ occurrence }) => {
      if (occurrence === 1) pushNewer();
    });
  };

  it('queues a push that arrives while a release of the service runs, then releases the newer image after it', async () => {
    // Prepare
    // All at once: traffic is never split, so the queued release's retries meet only the lock (see the known defect below).
    account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, strategy: { steps: [{ setWeight: 100 }] } }));
    const older = digestOf('web main-45');
    const newer = digestOf('web main-46');

    // Act
    const [first, second] = await pushDuringRelease(older, newer, whileDeploying);

    // Assess
    expectQueuedThenReleased(first, second, older, newer);
  });

  // A queued release's retries fall in the running release's canary, with traffic split: Prepare must answer the held
  // lock with ReleaseQueued before it judges the traffic, or the newer image would be lost to TrafficNotSettled.
  it('queues a push during a canary release of the service, then releases the newer image after it', async () => {
    // Prepare
    const older = digestOf('web main-47');
    const newer = digestOf('web main-48');

    // Act
    const [first, second] = await pushDuringRelease(older, newer, whileDeploying);

    // Assess
    expectQueuedThenReleased(first, second, older, newer);
  });
});
