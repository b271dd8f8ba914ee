import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { releaseExecutionName } from '../../../lambdas/domain/releaseExecutionName.ts';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  // Logger and Metrics then write through the global console, which the tests read.
  process.env.POWERTOOLS_DEV = 'true';
  process.env.STATE_MACHINE_ARN = 'arn:aws:states:us-west-2:123456789012:stateMachine:cutover-dev-release';
});

const { handler } = await import('../../../lambdas/handlers/onImagePushed.ts');

const DIGEST = 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd12345678';
const STATE_MACHINE = 'arn:aws:states:us-west-2:123456789012:stateMachine:cutover-dev-release';
const RULE = 'arn:aws:elasticloadbalancing:us-west-2:123456789012:listener-rule/app/web/0123456789abcdef/0123456789abcdef/0123456789abcdef';

/** An ECR push event as the AWS documentation shows it (Amazon ECR events and EventBridge), with a full digest. */
const pushEvent = {
  version: '0',
  id: '13cde686-328b-6117-af20-0e5566167482',
  'detail-type': 'ECR Image Action',
  source: 'aws.ecr',
  account: '123456789012',
  time: '2019-11-16T01:54:34Z',
  region: 'us-west-2',
  resources: [],
  detail: {
    result: 'SUCCESS',
    'repository-name': 'my-repository-name',
    'image-digest': DIGEST,
    'action-type': 'PUSH',
    'image-tag': 'main-42',
  },
};

function serviceConfig(triggers: unknown[], color = 'web'): string {
  return JSON.stringify({
    cluster: 'apps',
    containerName: 'app',
    blue: { serviceName: `${color}-blue`, targetGroupArn: 'arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/b/0123456789abcdef' },
    green: { serviceName: `${color}-green`, targetGroupArn: 'arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/g/fedcba9876543210' },
    productionListenerRuleArn: RULE,
    alarmNames: ['5xx'],
    triggers,
  });
}

/** Each test has an environment of its own, so that the handler's cache of the listed path never crosses tests. */
let environmentCounter = 0;

describe('Function: handler (onImagePushed)', () => {
  const ssm = mockClient(SSMClient);
  const sfn = mockClient(SFNClient);
  let environment: string;
  let output: string[];
  let addMetric: MockInstance<Metrics['addMetric']>;

  function logLines(): Record<string, unknown>[] {
    return output.filter((text) => text.trimStart().startsWith('{')).map((text) => JSON.parse(text) as Record<string, unknown>);
  }

  /** The metrics added, on the handler's Metrics instance and on its single metrics alike. */
  function metricNames(): string[] {
    return addMetric.mock.calls.map(([name]) => name);
  }

  function parameters(values: Record<string, string>): void {
    ssm.on(GetParametersByPathCommand, { Path: `/cutover/${environment}/services` }).resolves({
      Parameters: Object.entries(values).map(([service, value]) => ({ Name: `/cutover/${environment}/services/${service}`, Value: value, Type: 'String' })),
    });
  }

  beforeEach(() => {
    environmentCounter += 1;
    environment = `dev${environmentCounter}`;
    process.env.CUTOVER_ENVIRONMENT = environment;
    output = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((text: unknown) => {
        output.push(String(text));
      });
    }
    addMetric = vi.spyOn(Metrics.prototype, 'addMetric');
    // The EMF documents themselves are not read here: Metrics writes them through a console of its own.
    vi.spyOn(Metrics.prototype, 'publishStoredMetrics').mockImplementation(function (this: Metrics) {
      this.clearMetrics();
      this.clearDimensions();
      return this;
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    ssm.reset();
    sfn.reset();
  });

  it('starts exactly one execution for a push in the documented shape, pinned to the digest', async () => {
    // Prepare
    parameters({ web: serviceConfig([{ repository: 'my-repository-name', tagPattern: 'main-*' }]), api: serviceConfig([{ repository: 'other', tagPattern: '*' }], 'api') });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:us-west-2:123456789012:execution:cutover-dev-release:x', startDate: new Date() });

    // Act
    const result = await handler(pushEvent, lambdaContextFixture());

    // Assess
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    const input = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(input?.stateMachineArn).toBe(STATE_MACHINE);
    expect(input?.name).toBe(releaseExecutionName('web', environment, DIGEST));
    expect(JSON.parse(input?.input ?? '{}')).toEqual({
      service: 'web',
      environment,
      image: { repository: '123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name', digest: DIGEST },
      requestedBy: 'ecr push my-repository-name:main-42',
    });
    expect(result.releases).toEqual([expect.objectContaining({ service: 'web', started: true })]);
    expect(metricNames()).toContain('ReleasesStarted');
  });

  it('starts one execution when the same event arrives three times', async () => {
    // Prepare
    parameters({ web: serviceConfig([{ repository: 'my-repository-name', tagPattern: 'main-*' }]) });
    const names = new Set<string>();
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => {
      if (names.has(input.name)) throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${input.name}'`, $metadata: {} });
      names.add(input.name);
      return { executionArn: `arn:aws:states:us-west-2:123456789012:execution:cutover-dev-release:${input.name}`, startDate: new Date() };
    });

    // Act
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await handler(pushEvent, lambdaContextFixture()));

    // Assess
    expect(names.size).toBe(1);
    expect(results.map((result) => result.releases.map((release) => release.started))).toEqual([[true], [false], [false]]);
    expect(new Set(results.map((result) => result.releases[0]?.executionArn)).size).toBe(1);
    expect(metricNames().filter((name) => name === 'ReleasesStarted')).toHaveLength(1);
  });

  it('names the execution after the digest, so the same digest under a second tag is already started', async () => {
    // Prepare
    parameters({ web: serviceConfig([{ repository: 'my-repository-name', tagPattern: '*' }]) });
    sfn.on(StartExecutionCommand).resolvesOnce({ executionArn: 'arn:x', startDate: new Date() }).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    // Act
    await handler(pushEvent, lambdaContextFixture());
    const second = await handler({ ...pushEvent, detail: { ...pushEvent.detail, 'image-tag': 'latest' } }, lambdaContextFixture());

    // Assess
    const calls = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name);
    expect(calls[0]).toBe(calls[1]);
    expect(second.releases).toEqual([expect.objectContaining({ started: false })]);
  });

  it('starts nothing and counts ImagePushUnmatched for a push no trigger matches', async () => {
    // Prepare
    parameters({ web: serviceConfig([{ repository: 'my-repository-name', tagPattern: 'v*' }]), manual: serviceConfig([], 'manual') });

    // Act
    const result = await handler(pushEvent, lambdaContextFixture());

    // Assess
    expect(result.outcome).toBe('unmatched');
    expect(sfn.calls()).toHaveLength(0);
    expect(metricNames()).toEqual(['ImagePushUnmatched']);
    expect(logLines().some((line) => line['message'] === 'push matches no service, nothing to release' && line['tag'] === 'main-42')).toBe(true);
  });

  it('skips an invalid configuration with a log line naming its parameter and still releases the others', async () => {
    // Prepare
    parameters({ broken: '{"cluster": ', web: serviceConfig([{ repository: 'my-repository-name', tagPattern: 'main-*' }]) });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });

    // Act
    const result = await handler(pushEvent, lambdaContextFixture());

    // Assess
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(result.skippedConfigs.map((skipped) => skipped.parameterName)).toEqual([`/cutover/${environment}/services/broken`]);
    expect(logLines().some((line) => line['message'] === 'service configuration skipped' && line['parameterName'] === `/cutover/${environment}/services/broken`)).toBe(true);
  });

  it('lists the service configurations once across warm invocations within the cache age', async () => {
    // Prepare
    parameters({ web: serviceConfig([{ repository: 'my-repository-name', tagPattern: 'v*' }]) });

    // Act
    await handler(pushEvent, lambdaContextFixture());
    await handler(pushEvent, lambdaContextFixture());

    // Assess
    expect(ssm).toHaveReceivedCommandTimes(GetParametersByPathCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(GetParametersByPathCommand, { Path: `/cutover/${environment}/services`, Recursive: false, WithDecryption: true });
  });

  it.each([
    ['a DELETE', { ...pushEvent, detail: { ...pushEvent.detail, 'action-type': 'DELETE' } }, 'DELETE SUCCESS is not a successful push'],
    ['a failed push', { ...pushEvent, detail: { ...pushEvent.detail, result: 'FAILURE' } }, 'PUSH FAILURE is not a successful push'],
  ])('ignores %s with a log line and calls nothing', async (_label, event, reason) => {
    // Act
    const result = await handler(event, lambdaContextFixture());

    // Assess
    expect(result.outcome).toBe('ignored');
    expect(ssm.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
    expect(logLines().some((line) => line['message'] === 'not a successful push, ignored' && line['reason'] === reason)).toBe(true);
  });

  it.each([
    ['a push without a digest', { ...pushEvent, detail: { ...pushEvent.detail, 'image-digest': undefined } }, 'detail.image-digest'],
    ['a short digest', { ...pushEvent, detail: { ...pushEvent.detail, 'image-digest': 'sha256:abc' } }, 'detail.image-digest'],
    ['an event of another source', { ...pushEvent, source: 'aws.s3' }, 'source'],
    ['an event without detail', { ...pushEvent, detail: undefined }, 'detail'],
    ['a string', 'PUSH', '(root)'],
  ])('rejects %s with InvalidImagePushEvent naming the field, a log line and no call', async (_label, event, field) => {
    // Act & Assess
    await expect(handler(event, lambdaContextFixture())).rejects.toThrow(expect.objectContaining({ name: 'InvalidImagePushEvent', message: expect.stringContaining(field) }));
    expect(ssm.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
    expect(logLines().some((line) => line['message'] === 'handler failed' && line['errorName'] === 'InvalidImagePushEvent')).toBe(true);
  });
});
