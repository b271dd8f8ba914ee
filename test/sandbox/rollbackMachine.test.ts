import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { seedExampleService, type ExampleService } from '../../sandbox/account/seedExampleService.ts';
import { DEFAULT_START_AT, LocalRunner, type LocalRunResult } from '../../sandbox/localRunner.ts';

const digestOf = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const DAY_MS = 86_400_000;

describe('Sandbox: the rollback state machine', () => {
  const account = new SimulatedAccount();
  let runner: LocalRunner;
  let example: ExampleService;

  const release = async (digit: number, day: number): Promise<LocalRunResult> =>
    runner.run(
      { service: example.service, environment: example.environment, image: { repository: example.repository, digest: digestOf(digit) }, requestedBy: 'alice' },
      { executionName: `web-release-${digit}`, startAt: new Date(DEFAULT_START_AT.getTime() + day * DAY_MS) },
    );
  const rollback = async (day: number, input: Record<string, unknown> = {}): Promise<LocalRunResult[]> =>
    runner.runAll(
      [{ input: { service: example.service, environment: example.environment, requestedBy: 'bob', reason: 'error rate', ...input }, options: { stateMachine: 'rollback', executionName: `rollback-${day}` } }],
      new Date(DEFAULT_START_AT.getTime() + day * DAY_MS),
    );
  const weights = (): { blue?: number; green?: number } => {
    const groups = account.elbv2.weights(example.productionListenerRuleArn);
    return {
      blue: groups.find((group) => group.targetGroupArn === example.blue.targetGroupArn)?.weight,
      green: groups.find((group) => group.targetGroupArn === example.green.targetGroupArn)?.weight,
    };
  };
  const ledger = (): readonly Record<string, unknown>[] => account.dynamodb.documents(account.tableName, `RELEASE#${example.environment}#${example.service}`);

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
  });

  it('HappyPathTest: starts a release of the previous release task definition, all at once, and ends with its success', async () => {
    // Prepare
    expect((await release(2, 1)).status).toBe('SUCCEEDED');
    expect((await release(3, 2)).status).toBe('SUCCEEDED');
    const [first, second] = [...ledger()].sort((a, b) => String(a.startedAt).localeCompare(String(b.startedAt)));
    const registeredBefore = account.calls('RegisterTaskDefinition').length;
    account.log.clear();

    // Act
    const [rollbackRun, releaseRun] = await rollback(3);

    // Assess
    expect(rollbackRun?.status, rollbackRun?.cause).toBe('SUCCEEDED');
    expect(releaseRun?.status).toBe('SUCCEEDED');
    expect(rollbackRun?.output).toMatchObject({ release: { executionArn: releaseRun?.executionArn, status: 'SUCCEEDED' } });
    // Whichever colour is live now runs release 2's task definition.
    const live = weights().blue === 100 ? example.blue.serviceName : example.green.serviceName;
    expect(account.ecs.describe(live).taskDefinition).toBe(first?.toTaskDefinition);
    expect(account.calls('RegisterTaskDefinition')).toHaveLength(0);
    expect(registeredBefore).toBe(2);
    // All at once: one weight change, straight to 100 %.
    expect(account.calls('ModifyRule')).toHaveLength(1);
    const entered = (releaseRun?.events ?? []).filter((event) => event.type === 'StateEntered').map((event) => event.stateName);
    expect(entered.filter((name) => name === 'ShiftTraffic')).toHaveLength(1);
    const newest = ledger().find((record) => record.executionArn === releaseRun?.executionArn);
    expect(newest).toMatchObject({
      kind: 'rollback',
      outcome: 'Succeeded',
      rollbackOf: second?.releaseId,
      rollbackTo: { releaseId: first?.releaseId, taskDefinitionArn: first?.toTaskDefinition },
      reason: 'error rate',
      requestedBy: 'bob',
      toTaskDefinition: first?.toTaskDefinition,
      imageDigest: digestOf(2),
    });
  });

  it('RollbackReleaseFailsTest: ends with the release\'s own error and cause when the rollback release rolls back', async () => {
    // Prepare
    expect((await release(2, 1)).status).toBe('SUCCEEDED');
    expect((await release(3, 2)).status).toBe('SUCCEEDED');
    const idle = weights().blue === 100 ? example.green : example.blue;
    account.inject({ kind: 'targetsNeverHealthy', targetGroupArn: idle.targetGroupArn });

    // Act
    const [rollbackRun, releaseRun] = await rollback(3);

    // Assess
    expect(releaseRun?.status).toBe('FAILED');
    expect(releaseRun?.error).toBe('ReleaseRolledBack');
    expect(rollbackRun?.status).toBe('FAILED');
    expect(rollbackRun?.error).toBe('ReleaseRolledBack');
    expect(rollbackRun?.cause).toBe(releaseRun?.cause);
    const entered = (rollbackRun?.events ?? []).filter((event) => event.type === 'StateEntered').map((event) => event.stateName);
    expect(entered).toEqual(['FindRollbackTarget', 'StartRelease', 'DidReleaseEnd', 'ReadReleaseOutcome', 'HasReleaseError', 'ReleaseFailed']);
  });

  it('RefusedWhileReleasingTest: fails with ConcurrentReleaseError and changes nothing while a release holds the lock', async () => {
    // Prepare
    expect((await release(2, 1)).status).toBe('SUCCEEDED');
    expect((await release(3, 2)).status).toBe('SUCCEEDED');
    const holder = account.sfn.putExecution({ stateMachineName: 'cutover-sandbox-release', name: 'web-release-4', status: 'RUNNING' });
    account.dynamodb.seedDocument(account.tableName, {
      pk: `LOCK#${example.environment}#${example.service}`,
      sk: 'LOCK',
      service: example.service,
      environment: example.environment,
      releaseId: 'web-release-4',
      executionArn: holder,
      acquiredAt: new Date(DEFAULT_START_AT.getTime() + 3 * DAY_MS).toISOString(),
    });
    account.log.clear();

    // Act
    const results = await rollback(3);

    // Assess
    expect(results.map((result) => [result.status, result.error])).toEqual([['FAILED', 'ConcurrentReleaseError']]);
    expect(results[0]?.cause).toContain('web-release-4');
    expect(account.mutatingCalls()).toEqual([]);
  });

  it('RefusedAfterContractMigrationTest: fails with NothingToRollBack naming the contract migration and changes nothing, unless forced', async () => {
    // Prepare
    expect((await release(2, 1)).status).toBe('SUCCEEDED');
    account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, postPromotionMigration: { command: ['npm', 'run', 'migrate:contract'], timeoutSeconds: 300 } }));
    account.ecs.scriptOneOffTasks({ exitCode: 0, runSeconds: 60 });
    expect((await release(3, 2)).status).toBe('SUCCEEDED');
    const [first, second] = [...ledger()].sort((a, b) => String(a.startedAt).localeCompare(String(b.startedAt)));
    expect(first).not.toHaveProperty('postPromotionMigration');
    expect(second).toMatchObject({ outcome: 'Succeeded', postPromotionMigration: { outcome: 'Succeeded', releaseId: 'web-release-3', exitCode: 0 } });
    account.log.clear();

    // Act
    const refused = await rollback(3);

    // Assess
    expect(refused.map((result) => [result.status, result.error])).toEqual([['FAILED', 'NothingToRollBack']]);
    expect(refused[0]?.cause).toContain('release web-release-3 ran its contract migration (postPromotionMigration Succeeded');
    expect(refused[0]?.cause).toContain('force: true');
    expect(account.mutatingCalls()).toEqual([]);

    // Act
    const [rollbackRun, releaseRun] = await rollback(4, { force: true });

    // Assess
    expect(rollbackRun?.status, rollbackRun?.cause).toBe('SUCCEEDED');
    expect(releaseRun?.status).toBe('SUCCEEDED');
    const live = weights().blue === 100 ? example.blue.serviceName : example.green.serviceName;
    expect(account.ecs.describe(live).taskDefinition).toBe(first?.toTaskDefinition);
    expect(ledger().find((record) => record.executionArn === releaseRun?.executionArn)).toMatchObject({ kind: 'rollback', outcome: 'Succeeded', rollbackOf: second?.releaseId });
  });

  it('RefusedTest: fails with NothingToRollBack and changes nothing when there is no earlier successful release', async () => {
    // Prepare
    expect((await release(2, 1)).status).toBe('SUCCEEDED');
    account.log.clear();

    // Act
    const results = await rollback(2);

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe('FAILED');
    expect(results[0]?.error).toBe('NothingToRollBack');
    expect(results[0]?.cause).toContain('only successful release');
    expect(account.mutatingCalls()).toEqual([]);
  });
});
