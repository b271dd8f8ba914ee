import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AwsCall } from '../../sandbox/account/CallLog.ts';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { seedExampleService, type ExampleService } from '../../sandbox/account/seedExampleService.ts';
import { LocalRunner } from '../../sandbox/localRunner.ts';
import { expectFailedWithoutTrafficChange, ledgerRecordsOf, lockOf, productionModifyRules, useSimulatedAccount } from '../support/exampleServiceProbes.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const MIGRATION = { command: ['npm', 'run', 'migrate'], timeoutSeconds: 600 };
const SHORT_STRATEGY = { steps: [{ setWeight: 10 }, { pause: { durationSeconds: 60 } }, { setWeight: 100 }] };

describe('State machine: release gates (migration, smoke tests)', () => {
  const account = new SimulatedAccount();
  let runner: LocalRunner;
  let example: ExampleService;

  /** Seeds the example service with extra configuration fields (the gates). */
  const seedWith = (fields: Record<string, unknown>): void => {
    example = seedExampleService(account, { terminationWaitSeconds: 0 });
    account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, strategy: SHORT_STRATEGY, ...fields }));
  };
  const releaseInput = (): Record<string, unknown> => ({
    service: example.service,
    environment: example.environment,
    image: { repository: example.repository, digest: DIGEST },
    requestedBy: 'ci',
  });
  const productionRuleChanges = (): readonly AwsCall[] => productionModifyRules(account, example);
  const ledgerRecords = (): readonly Record<string, unknown>[] => ledgerRecordsOf(account, example);
  const lock = (): Record<string, unknown> | undefined => lockOf(account, example);
  const expectNothingShifted = (): void => expectFailedWithoutTrafficChange(account, example);

  useSimulatedAccount(account, () => {
    runner = new LocalRunner({ account });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('runs the migration with the new task definition before any traffic moves, then shifts traffic', async () => {
    // Prepare
    seedWith({ migration: MIGRATION });
    account.ecs.scriptOneOffTasks({ exitCode: 0, runSeconds: 120 });

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    const [task] = account.ecs.oneOffTaskList();
    expect(task).toMatchObject({ command: ['npm', 'run', 'migrate'], exitCode: 0, startedBy: expect.stringMatching(/^cutover-migration-/) });
    expect(task?.taskDefinitionArn).toBe(account.ecs.describe(example.green.serviceName).taskDefinition);
    const runTaskAt = account.calls('RunTask')[0]?.at ?? Infinity;
    expect(productionRuleChanges().every((call) => call.at > runTaskAt + 120_000)).toBe(true);
    expect(productionRuleChanges()).toHaveLength(2);
    expect(ledgerRecords().map((record) => record.outcome)).toEqual(['Succeeded']);
  });

  it('ends Failed with MigrationFailed when the migration exits 1: no production weight change, idle at 0, lock free', async () => {
    // Prepare
    seedWith({ migration: MIGRATION });
    account.ecs.scriptOneOffTasks({ exitCode: 1, runSeconds: 45 });

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('MigrationFailed');
    expect(result.cause).toMatch(/^migration gate failed, no traffic moved: MigrationFailed: migration task arn:aws:ecs:.* exited with code 1; /);
    expectNothingShifted();
    expect(ledgerRecords()[0]?.cause).toBe(result.cause);
  });

  it('stops the migration task when it outruns its timeout and ends Failed with MigrationFailed', async () => {
    // Prepare
    seedWith({ migration: { ...MIGRATION, timeoutSeconds: 300 } });
    account.ecs.scriptOneOffTasks({ runsUntilStopped: true });

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expect(result.error).toBe('MigrationFailed');
    expect(result.cause).toMatch(/the migration did not finish within its timeout of 300 s; stopped task arn:aws:ecs:/);
    expect(account.calls('StopTask')).toHaveLength(1);
    expect(account.ecs.oneOffTaskList()[0]).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'UserInitiated' });
    expectNothingShifted();
  });

  it('fails at once with MigrationFailed when ECS cannot place the task', async () => {
    // Prepare
    seedWith({ migration: MIGRATION });
    account.ecs.scriptOneOffTasks({ placementFailure: 'RESOURCE:MEMORY' });

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expect(result.error).toBe('MigrationFailed');
    expect(result.cause).toContain('the migration task could not start: RESOURCE:MEMORY');
    expectNothingShifted();
  });

  it('runs the migration of a digest once when the same digest is released twice', async () => {
    // Prepare
    seedWith({ migration: MIGRATION });
    const first = await runner.run(releaseInput(), { executionName: 'first' });

    // Act
    const second = await runner.run(releaseInput(), { executionName: 'second', startAt: new Date('2025-06-03T09:00:00.000Z') });

    // Assess
    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(account.calls('RunTask')).toHaveLength(1);
  });

  it('ends Failed with SmokeTestFailed when the smoke test gets 500 after its warm-up retries', async () => {
    // Prepare
    seedWith({ smokeTests: [{ name: 'health', url: 'https://test.web.example/health', expectStatus: 200 }] });
    const requests: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      if (!url.startsWith('https://test.web.example/')) throw new Error(`the sandbox has no network: ${url}`);
      requests.push(url);
      return new Response('upstream exploded', { status: 500 });
    });

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expect(result.error).toBe('SmokeTestFailed');
    expect(result.cause).toBe(
      'smoke test gate failed, no traffic moved: SmokeTestFailed: smoke test "health" (GET https://test.web.example/health) expected status 200, got 500; body: "upstream exploded"',
    );
    expect(requests).toHaveLength(5);
    expectNothingShifted();
  });

  it('ends Succeeded with a warning when the post-promotion migration fails, traffic staying on the new colour', async () => {
    // Prepare
    seedWith({ postPromotionMigration: { command: ['npm', 'run', 'contract'], timeoutSeconds: 300 } });
    account.ecs.scriptOneOffTasks({ exitCode: 2, runSeconds: 30 });

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ outcome: 'Succeeded', warning: expect.stringMatching(/^postPromotionMigration failed \(MigrationFailed: .* exited with code 2; .*\)\. Traffic stays on the new colour/) });
    expect(account.elbv2.weights(example.productionListenerRuleArn).find((weight) => weight.targetGroupArn === example.green.targetGroupArn)?.weight).toBe(100);
    expect(account.ecs.describe(example.blue.serviceName).desiredCount).toBe(0);
    const runTaskAt = account.calls('RunTask')[0]?.at ?? 0;
    const scaleDownAt = account.calls('UpdateService').find((call) => call.input.service === example.blue.serviceName && call.input.desiredCount === 0)?.at ?? Infinity;
    expect(scaleDownAt).toBeLessThanOrEqual(runTaskAt);
    expect(ledgerRecords()).toEqual([expect.objectContaining({ outcome: 'Succeeded', cause: (result.output as { warning: string }).warning })]);
    expect(lock()).toBeUndefined();
  });
});
