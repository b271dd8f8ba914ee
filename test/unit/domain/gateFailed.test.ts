import { beforeEach, describe, expect, it } from 'vitest';
import { gateFailed } from '../../../lambdas/domain/gateFailed.ts';
import { CallLog, FakeLoadBalancer, InMemoryReleaseStore } from '../../support/fakePorts.ts';
import { FakeEcsTasks, InMemoryMigrationStore } from '../../support/fakeMigrationPorts.ts';
import { releaseContextFixture, releaseStateFixture } from '../../support/releaseStateFixture.ts';
import { seedRelease } from '../../support/seedRelease.ts';

const NOW = new Date('2025-01-01T00:30:00.000Z');
const TASK = 'arn:aws:ecs:eu-west-1:123456789012:task/prod-cluster/0123456789abcdef0123456789abcdef';
const KEY = { environment: 'prod', service: 'web', digest: `sha256:${'a'.repeat(64)}`, phase: 'pre' };
const TEST_RULE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/prod/0123456789abcdef/0123456789abcdef/fedcba9876543210';

describe('Function: gateFailed', () => {
  let log: CallLog;
  let store: InMemoryReleaseStore;
  let migrations: InMemoryMigrationStore;
  let ecs: FakeEcsTasks;
  let loadBalancer: FakeLoadBalancer;
  const release = releaseContextFixture({ migration: { command: ['migrate'], timeoutSeconds: 600 }, testListenerRuleArn: TEST_RULE });

  beforeEach(async () => {
    log = new CallLog();
    store = new InMemoryReleaseStore(log);
    migrations = new InMemoryMigrationStore(log);
    ecs = new FakeEcsTasks(log);
    loadBalancer = new FakeLoadBalancer(log);
    await seedRelease(store, release);
  });

  it('scales the idle colour to 0, records Failed with the gate and releases the lock, without touching production traffic', async () => {
    // Prepare
    const state = releaseStateFixture({
      release,
      step: undefined,
      gate: { name: 'migration' },
      error: { Error: 'MigrationFailed', Cause: `migration task ${TASK}: container app exited with code 1` },
    });

    // Act
    const result = await gateFailed(state, { ecs, loadBalancer, store, migrations }, NOW);

    // Assess
    expect(result).toEqual({ error: 'MigrationFailed', cause: `migration gate failed, no traffic moved: MigrationFailed: migration task ${TASK}: container app exited with code 1` });
    expect(log.argsOf('ecs.updateService')).toEqual([['prod-cluster', 'web-green', { desiredCount: 0 }]]);
    expect(log.argsOf('loadBalancer.setForwardWeights')).toEqual([]);
    expect(await store.getLedgerRecord('prod', 'web', release.ledgerSortKey)).toMatchObject({ outcome: 'Failed', cause: result.cause });
    expect(await store.getLock('prod', 'web')).toBeUndefined();
  });

  it('stops the migration task that outran its timeout and names it in the cause', async () => {
    // Prepare
    await migrations.startMigration(
      { ...KEY, status: 'Running', runId: 'run-1', releaseId: 'rel-1', cluster: 'prod-cluster', containerName: 'app', startedAt: '2025-01-01T00:10:00.000Z', logGroup: '/ecs/web' },
      { ...KEY, runId: 'run-1', taskToken: 'token-1', releaseId: 'rel-1', executionArn: 'arn:exec', containerName: 'app', endsAt: '2025-01-01T00:20:00.000Z' },
    );
    ecs.running.set('cutover-migration-run-1', [TASK]);
    const state = releaseStateFixture({ release, step: undefined, gate: { name: 'migration' }, error: { Error: 'States.Timeout', Cause: '' } });

    // Act
    const result = await gateFailed(state, { ecs, loadBalancer, store, migrations }, NOW);

    // Assess
    expect(log.argsOf('ecs.stopTask')).toEqual([['prod-cluster', TASK, 'cutover: the migration did not finish within its timeout of 600 s']]);
    expect(result).toEqual({
      error: 'MigrationFailed',
      cause: `migration gate failed, no traffic moved: the migration did not finish within its timeout of 600 s; stopped task ${TASK}; logs: CloudWatch Logs group /ecs/web, stream 0123456789abcdef0123456789abcdef`,
    });
    expect(await migrations.getMigration(KEY)).toMatchObject({ status: 'Failed' });
  });

  it('points the test listener back where it was after a failed smoke test', async () => {
    // Prepare
    const previous = [{ targetGroupArn: release.stable.targetGroupArn, weight: 100 }];
    const state = releaseStateFixture({
      release,
      step: undefined,
      gate: { name: 'smokeTests' },
      testListener: { ruleArn: TEST_RULE, previousTargetGroups: previous },
      error: { Error: 'SmokeTestFailed', Cause: JSON.stringify({ errorType: 'SmokeTestFailed', errorMessage: 'smoke test "health" expected status 200, got 500' }) },
    });

    // Act
    const result = await gateFailed(state, { ecs, loadBalancer, store, migrations }, NOW);

    // Assess
    expect(result.error).toBe('SmokeTestFailed');
    expect(result.cause).toBe('smoke test gate failed, no traffic moved: SmokeTestFailed: smoke test "health" expected status 200, got 500');
    expect(log.argsOf('loadBalancer.setForwardWeights')).toEqual([[TEST_RULE, previous, undefined, undefined]]);
  });

  it('reports the recorded failure again when retried after recording it', async () => {
    // Prepare
    const state = releaseStateFixture({ release, step: undefined, gate: { name: 'smokeTests' }, error: { Error: 'SmokeTestFailed', Cause: 'boom' } });
    const first = await gateFailed(state, { ecs, loadBalancer, store, migrations }, NOW);

    // Act
    const second = await gateFailed(state, { ecs, loadBalancer, store, migrations }, NOW);

    // Assess
    expect(second).toEqual(first);
    expect(log.argsOf('ecs.updateService')).toHaveLength(1);
  });

  it('ends an aborted release parked at the approval gate with ReleaseAborted and the operator in the cause', async () => {
    // Prepare
    const cause = JSON.stringify({ errorType: 'ReleaseAborted', errorMessage: 'aborted by bob: wrong build', signalledAt: '2025-01-01T00:29:00.000Z' });
    const state = releaseStateFixture({ release, step: undefined, gate: { name: 'approval' }, error: { Error: 'ReleaseAborted', Cause: cause } });

    // Act
    const result = await gateFailed(state, { ecs, loadBalancer, store, migrations }, NOW);

    // Assess
    expect(result).toEqual({ error: 'ReleaseAborted', cause: 'aborted at the approval gate, no traffic moved: ReleaseAborted: aborted by bob: wrong build' });
    expect(log.argsOf('ecs.updateService')).toEqual([['prod-cluster', 'web-green', { desiredCount: 0 }]]);
    expect(await store.getLedgerRecord('prod', 'web', release.ledgerSortKey)).toMatchObject({ outcome: 'Failed', cause: result.cause });
    expect(await store.getLock('prod', 'web')).toBeUndefined();
  });

  it('names the policy gate and keeps the error it failed with: InvalidEnvironmentSettings is not a freeze', async () => {
    // Prepare
    const cause = JSON.stringify({ errorType: 'InvalidEnvironmentSettings', errorMessage: '/cutover/prod/settings is not valid JSON' });
    const state = releaseStateFixture({ release, step: undefined, gate: { name: 'policy' }, error: { Error: 'InvalidEnvironmentSettings', Cause: cause } });

    // Act
    const result = await gateFailed(state, { ecs, loadBalancer, store, migrations }, NOW);

    // Assess
    expect(result).toEqual({
      error: 'InvalidEnvironmentSettings',
      cause: 'release policy gate failed, no traffic moved: InvalidEnvironmentSettings: /cutover/prod/settings is not valid JSON',
    });
  });
});
