import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failureSignalCause } from '../../../lambdas/domain/failureSignalCause.ts';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

vi.hoisted(() => {
  process.env.TABLE_NAME = 'cutover-table';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  delete process.env.POWERTOOLS_DEV;
  delete process.env.POWERTOOLS_METRICS_DISABLED;
});

const { handler: rollback } = await import('../../../lambdas/handlers/rollback.ts');
const { handler: failRelease } = await import('../../../lambdas/handlers/failRelease.ts');
const { handler: gateFailed } = await import('../../../lambdas/handlers/gateFailed.ts');

interface EmfLine {
  readonly _aws: { readonly CloudWatchMetrics: readonly { readonly Namespace: string; readonly Dimensions: readonly string[][]; readonly Metrics: readonly { Name: string; Unit: string }[] }[] };
  readonly [key: string]: unknown;
}

/** Captures the EMF lines Powertools Metrics writes to stdout. */
function captureEmf(): () => EmfLine[] {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.includes('"_aws"')) {
      lines.push(...text.split('\n').filter((line) => line.includes('"_aws"')));
      return true;
    }
    return write(chunk, ...(rest as []));
  });
  return () => lines.map((line) => JSON.parse(line) as EmfLine);
}

const elb = mockClient(ElasticLoadBalancingV2Client);
const ecs = mockClient(ECSClient);
const ddb = mockClient(DynamoDBDocumentClient);

describe('Function: handler (rollback, metrics)', () => {

  beforeEach(() => {
    elb.on(ModifyRuleCommand).resolves({});
    ecs.on(UpdateServiceCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
  });

  afterEach(() => {
    elb.reset();
    ecs.reset();
    ddb.reset();
  });

  it('publishes ReleaseRolledBack, a gate failure and the reaction time from the alarm to the weights, by environment and service', async () => {
    // Prepare
    const emf = captureEmf();
    const firedAt = new Date(Date.now() - 42_000);
    const state = releaseStateFixture({ error: { Error: 'AlarmFired', Cause: failureSignalCause('AlarmFired', 'alarm web-5xx went to ALARM', firedAt) } });

    // Act
    await rollback(state, lambdaContextFixture());

    // Assess
    const [line] = emf();
    expect(line?._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'cutover', Dimensions: [['service', 'environment', 'releaseService']] });
    expect(line).toMatchObject({ service: 'cutover', environment: 'prod', releaseService: 'web', ReleaseRolledBack: 1, GateFailures: 1 });
    expect(line?.['RollbackReactionSeconds']).toBeGreaterThanOrEqual(42);
    expect(line?.['RollbackReactionSeconds']).toBeLessThan(100);
  });

  it('publishes no reaction time when the failure carries no signal time', async () => {
    // Prepare
    const emf = captureEmf();
    const state = releaseStateFixture({ error: { Error: 'Lambda.Unknown', Cause: 'boom' } });

    // Act
    await rollback(state, lambdaContextFixture());

    // Assess
    const [line] = emf();
    expect(line).toMatchObject({ ReleaseRolledBack: 1 });
    expect(line).not.toHaveProperty('RollbackReactionSeconds');
    expect(line).not.toHaveProperty('GateFailures');
  });

  it('publishes nothing when the rollback fails', async () => {
    // Prepare
    const emf = captureEmf();
    elb.on(ModifyRuleCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    // Act
    const attempt = rollback(releaseStateFixture({ error: { Error: 'AlarmFired' } }), lambdaContextFixture());

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(emf()).toEqual([]);
  });
});

describe('Function: handler (failRelease, metrics)', () => {
  afterEach(() => {
    ddb.reset();
  });

  it('publishes ReleaseFailed by environment and service', async () => {
    // Prepare
    const emf = captureEmf();
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await failRelease(releaseStateFixture({ error: { Error: 'InvalidServiceConfig' } }), lambdaContextFixture());

    // Assess
    expect(emf()).toEqual([expect.objectContaining({ environment: 'prod', releaseService: 'web', ReleaseFailed: 1 })]);
  });
});

describe('Function: handler (gateFailed, metrics)', () => {
  afterEach(() => {
    ecs.reset();
    ddb.reset();
  });

  it('publishes ReleaseFailed, a gate failure and the failure of the smoke test gate', async () => {
    // Prepare
    const emf = captureEmf();
    ecs.on(UpdateServiceCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    const state = releaseStateFixture({ gate: { name: 'smokeTests' }, error: { Error: 'SmokeTestFailed', Cause: 'GET /health returned 500' } });

    // Act
    const result = await gateFailed(state, lambdaContextFixture());

    // Assess
    expect(result.error).toBe('SmokeTestFailed');
    expect(emf()).toEqual([expect.objectContaining({ environment: 'prod', releaseService: 'web', ReleaseFailed: 1, GateFailures: 1, SmokeTestGateFailures: 1 })]);
  });
});
