import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { ExecutionAdapter } from '../../lambdas/adapters/ExecutionAdapter.ts';
import { ReleaseTable } from '../../lambdas/adapters/ReleaseTable.ts';
import { runOperatorCommand } from '../../lambdas/domain/runOperatorCommand.ts';
import type { StrategyStep } from '../../lambdas/domain/serviceConfig.ts';
import type { AwsCall } from '../../sandbox/account/CallLog.ts';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { seedExampleService, type ExampleService, type ExampleServiceOptions } from '../../sandbox/account/seedExampleService.ts';
import { LocalRunner, type LocalRunResult } from '../../sandbox/localRunner.ts';
import { ledgerRecordsOf, lockOf, useSimulatedAccount } from '../support/exampleServiceProbes.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('State machine: release', () => {
  const account = new SimulatedAccount();
  let runner: LocalRunner;
  let example: ExampleService;

  const seed = (options: ExampleServiceOptions = {}): ExampleService => {
    example = seedExampleService(account, options);
    return example;
  };
  const releaseInput = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    service: example.service,
    environment: example.environment,
    image: { repository: example.repository, digest: DIGEST },
    requestedBy: 'ci',
    ...overrides,
  });
  const weightsByColor = (): { blue: number | undefined; green: number | undefined } => {
    const weights = account.elbv2.weights(example.productionListenerRuleArn);
    return {
      blue: weights.find((weight) => weight.targetGroupArn === example.blue.targetGroupArn)?.weight,
      green: weights.find((weight) => weight.targetGroupArn === example.green.targetGroupArn)?.weight,
    };
  };
  const greenWeightsOfModifyRule = (calls: readonly AwsCall[] = account.calls()): number[] =>
    calls.flatMap((call) => {
      if (call.operation !== 'ModifyRule') return [];
      if (call.error !== undefined) return [];
      const groups = (call.input.Actions as { ForwardConfig?: { TargetGroups?: { TargetGroupArn: string; Weight: number }[] } }[])[0]?.ForwardConfig?.TargetGroups ?? [];
      return groups.filter((group) => group.TargetGroupArn === example.green.targetGroupArn).map((group) => group.Weight);
    });
  const ledgerRecords = (): readonly Record<string, unknown>[] => ledgerRecordsOf(account, example);
  const lock = (): Record<string, unknown> | undefined => lockOf(account, example);
  const successfulMutations = (): readonly string[] => account.mutatingCalls().filter((call) => call.error === undefined).map((call) => call.operation);
  const currentBakeToken = (): string => {
    const bake = account.dynamodb.documents(account.tableName, `BAKE#${example.environment}#${example.service}`)[0];
    if (typeof bake?.taskToken !== 'string') throw new Error('no current bake registered');
    return bake.taskToken;
  };
  const shortStrategy = (bakeSeconds: number): StrategyStep[] => [{ setWeight: 10 }, { pause: { durationSeconds: bakeSeconds } }, { setWeight: 100 }];
  const expectRolledBackTraffic = (result: LocalRunResult): void => {
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('ReleaseRolledBack');
    expect(weightsByColor()).toEqual({ blue: 100, green: 0 });
    expect(account.ecs.describe(example.green.serviceName).desiredCount).toBe(0);
    expect(ledgerRecords().map((record) => record.outcome)).toEqual(['RolledBack']);
    expect(lock()).toBeUndefined();
  };

  useSimulatedAccount(account, () => {
    runner = new LocalRunner({ account });
  });

  it('releases the new image to the idle colour and moves all traffic to it', async () => {
    // Prepare
    seed();

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(weightsByColor()).toEqual({ blue: 0, green: 100 });
    expect(greenWeightsOfModifyRule()).toEqual([10, 50, 100]);
    expect(account.ecs.describe(example.blue.serviceName).desiredCount).toBe(0);
    const green = account.ecs.describe(example.green.serviceName);
    expect(green.desiredCount).toBe(2);
    const taskDefinition = account.ecs.taskDefinition(String(green.taskDefinition));
    const containers = taskDefinition?.containerDefinitions as { name: string; image: string }[];
    expect(containers.find((container) => container.name === 'web')?.image).toBe(`${example.repository}@${DIGEST}`);
    expect(containers.find((container) => container.name === 'log-router')?.image).toBe('public.ecr.aws/aws-observability/aws-for-fluent-bit:stable');
    expect(green.taskDefinition).not.toBe(example.liveTaskDefinitionArn);
    expect(ledgerRecords()).toEqual([expect.objectContaining({ outcome: 'Succeeded', toColor: 'green', fromColor: 'blue', imageUri: `${example.repository}@${DIGEST}` })]);
    expect(lock()).toBeUndefined();
  });

  it('rolls back when an alarm fires during the first bake', async () => {
    // Prepare
    seed();
    const alarmName = example.alarmNames[0] ?? '';
    runner.onTaskWaiting('Bake', async ({ occurrence }) => {
      if (occurrence !== 1) return;
      await new CloudWatchClient({}).send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: 'ALARM', StateReason: 'Threshold Crossed: 5xx rate 7 % > 1 %' }));
    });

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expectRolledBackTraffic(result);
    expect(result.cause).toContain(alarmName);
    expect(account.eventInvocations).toEqual([expect.objectContaining({ functionName: 'cutover-sandbox-onAlarm' })]);
    expect(account.eventInvocations[0]?.error).toBeUndefined();
    const calls = account.calls();
    const alarmCall = calls.findIndex((call) => call.operation === 'SetAlarmState');
    expect(greenWeightsOfModifyRule(calls.slice(0, alarmCall))).toEqual([10]);
    expect(greenWeightsOfModifyRule(calls.slice(alarmCall))).toEqual([0]);
  });

  it('rolls back without moving traffic when the idle colour never becomes ready', async () => {
    // Prepare
    seed({ readyTimeoutSeconds: 300 });
    account.inject({ kind: 'targetsNeverHealthy', targetGroupArn: example.green.targetGroupArn });

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expectRolledBackTraffic(result);
    expect(result.cause).toContain('IdleNotReady');
    expect(greenWeightsOfModifyRule().filter((weight) => weight > 0)).toEqual([]);
    expect(result.events.some((event) => event.type === 'StateEntered' && event.stateName === 'ShiftTraffic')).toBe(false);
  });

  it('rejects the release when another running execution holds the lock and the service says reject', async () => {
    // Prepare
    seed({ onBusy: 'reject' });
    const holderArn = account.sfn.putExecution({ stateMachineName: 'cutover-sandbox-release', name: 'earlier-release', status: 'RUNNING' });
    const holder = {
      pk: `LOCK#${example.environment}#${example.service}`,
      sk: 'LOCK',
      service: example.service,
      environment: example.environment,
      releaseId: 'earlier-release',
      executionArn: holderArn,
      acquiredAt: '2025-06-02T08:55:00.000Z',
    };
    account.dynamodb.seedDocument(account.tableName, holder);

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('ConcurrentReleaseError');
    expect(result.cause).toContain('earlier-release');
    expect(successfulMutations()).toEqual([]);
    expect(account.calls('ModifyRule')).toEqual([]);
    expect(account.calls('UpdateService')).toEqual([]);
    expect(account.calls('RegisterTaskDefinition')).toEqual([]);
    expect(lock()).toEqual(holder);
    expect(ledgerRecords()).toEqual([]);
  });

  it('rejects an invalid service configuration, naming the field, without changing anything', async () => {
    // Prepare
    seed();
    const config = { ...example.config, alarmNames: [] };
    account.ssm.seedParameter(example.parameterName, JSON.stringify(config));

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('InvalidServiceConfig');
    expect(result.cause).toContain('alarmNames');
    expect(account.mutatingCalls()).toEqual([]);
    expect(lock()).toBeUndefined();
  });

  it('rejects an invalid execution input, naming the field, without changing anything', async () => {
    // Prepare
    seed();

    // Act
    const result = await runner.run(releaseInput({ image: { repository: example.repository, digest: 'latest' } }));

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('InvalidReleaseInput');
    expect(result.cause).toContain('image.digest');
    expect(account.mutatingCalls()).toEqual([]);
  });

  it('retries a throttled traffic shift and succeeds', async () => {
    // Prepare
    seed({ steps: shortStrategy(300) });
    account.throttle('ModifyRule', 2);

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(account.calls('ModifyRule').filter((call) => call.error === 'ThrottlingException')).toHaveLength(2);
    expect(result.events.filter((event) => event.type === 'StateRetried' && event.stateName === 'ShiftTraffic')).toHaveLength(2);
    expect(weightsByColor()).toEqual({ blue: 0, green: 100 });
  });

  it('rolls back when an operator aborts during a bake', async () => {
    // Prepare
    seed({ steps: shortStrategy(3600) });
    runner.onTaskWaiting('Bake', async ({ occurrence }) => {
      if (occurrence !== 1) return;
      await new SFNClient({}).send(new SendTaskFailureCommand({ taskToken: currentBakeToken(), error: 'ReleaseAborted', cause: 'aborted by alice: error budget burning' }));
    });

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expectRolledBackTraffic(result);
    expect(result.cause).toContain('ReleaseAborted');
    expect(result.endedAt.getTime() - result.startedAt.getTime()).toBeLessThan(3600 * 1000);
  });

  it('continues to full traffic when an operator promotes a manual pause, and records who promoted', async () => {
    // Prepare
    seed({ steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 100 }], terminationWaitSeconds: 0 });
    let promotedToken = '';
    runner.onTaskWaiting('Bake', async ({ occurrence }) => {
      if (occurrence !== 1) return;
      promotedToken = currentBakeToken();
      const request = { command: 'promote' as const, service: example.service, environment: example.environment, actor: 'alice', reason: 'dashboards are green' };
      const answer = await runOperatorCommand(request, { store: new ReleaseTable(undefined, account.tableName), executions: new ExecutionAdapter() });
      if (answer.exitCode !== 0) throw new Error(`promote did nothing: ${answer.message}`);
    });

    // Act
    const result = await runner.run(releaseInput());

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(greenWeightsOfModifyRule()).toEqual([20, 100]);
    expect(weightsByColor()).toEqual({ blue: 0, green: 100 });
    expect(ledgerRecords()).toEqual([expect.objectContaining({ outcome: 'Succeeded', actions: [expect.objectContaining({ action: 'promote', actor: 'alice', weight: 20, reason: 'dashboards are green' })] })]);
    await expect(new SFNClient({}).send(new SendTaskSuccessCommand({ taskToken: promotedToken, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('bills the same state transitions whatever the bake length', async () => {
    // Prepare
    seed({ steps: shortStrategy(300) });
    const short = await runner.run(releaseInput(), { executionName: 'five-minute-bake' });
    account.reset();
    seed({ steps: shortStrategy(3600) });

    // Act
    const long = await runner.run(releaseInput(), { executionName: 'sixty-minute-bake' });

    // Assess
    expect(short.status).toBe('SUCCEEDED');
    expect(long.status).toBe('SUCCEEDED');
    expect(long.stateTransitions).toBe(short.stateTransitions);
    expect(long.endedAt.getTime() - long.startedAt.getTime() - (short.endedAt.getTime() - short.startedAt.getTime())).toBe(3300 * 1000);
  });
});
