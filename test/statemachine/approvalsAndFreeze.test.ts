import { SFNClient, SendTaskFailureCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { ApprovalTable } from '../../lambdas/adapters/ApprovalTable.ts';
import { ExecutionAdapter } from '../../lambdas/adapters/ExecutionAdapter.ts';
import { ReleaseTable } from '../../lambdas/adapters/ReleaseTable.ts';
import { decideApproval, type ApprovalRequest, type ApprovalResult } from '../../lambdas/domain/approval.ts';
import { environmentSettingsParameterName } from '../../lambdas/domain/environmentSettings.ts';
import { runOperatorCommand, type OperatorRequest, type OperatorResult } from '../../lambdas/domain/runOperatorCommand.ts';
import type { AwsCall } from '../../sandbox/account/CallLog.ts';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { seedExampleService, type ExampleService } from '../../sandbox/account/seedExampleService.ts';
import { LocalRunner } from '../../sandbox/localRunner.ts';
import { expectFailedWithoutTrafficChange, ledgerRecordsOf, productionModifyRules, useSimulatedAccount } from '../support/exampleServiceProbes.ts';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const SHORT_STRATEGY = { steps: [{ setWeight: 10 }, { pause: { durationSeconds: 60 } }, { setWeight: 100 }] };
const MIGRATION = { command: ['npm', 'run', 'migrate'], timeoutSeconds: 600 };
// The runner starts executions at 2025-06-02T09:00:00Z, a Monday.

describe('State machine: approvals and freeze windows', () => {
  const account = new SimulatedAccount();
  let runner: LocalRunner;
  let example: ExampleService;

  const seed = (settings: Record<string, unknown>, strategy: unknown = SHORT_STRATEGY, fields: Record<string, unknown> = {}): void => {
    example = seedExampleService(account, { terminationWaitSeconds: 0 });
    account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, strategy, ...fields }));
    account.ssm.seedParameter(environmentSettingsParameterName(example.environment), JSON.stringify(settings));
  };
  const releaseInput = (requestedBy = 'alice'): Record<string, unknown> => ({
    service: example.service,
    environment: example.environment,
    image: { repository: example.repository, digest: DIGEST },
    requestedBy,
  });
  /** What `cutover approve|reject` runs, with the same adapters, against the simulated account. */
  const decide = (request: Omit<ApprovalRequest, 'service' | 'environment'>, at: Date): Promise<ApprovalResult> => {
    const releases = new ReleaseTable(undefined, account.tableName);
    return decideApproval(
      { ...request, service: example.service, environment: example.environment },
      { approvals: new ApprovalTable(undefined, account.tableName), executions: new ExecutionAdapter(), getLock: (environment, service) => releases.getLock(environment, service) },
      at,
    );
  };
  /** What `cutover abort|status` runs, with the same adapters, against the simulated account. */
  const operate = (request: Omit<OperatorRequest, 'service' | 'environment'>, at: Date): Promise<OperatorResult> =>
    runOperatorCommand(
      { ...request, service: example.service, environment: example.environment },
      { store: new ReleaseTable(undefined, account.tableName), executions: new ExecutionAdapter() },
      at,
    );
  /** Virtual time passing inside a hook (the runner's clock is installed while it runs). */
  const virtualDelayUntil = (at: string): Promise<void> => new Promise((resolve) => setTimeout(resolve, Date.parse(at) - Date.now()));
  const productionRuleChanges = (): readonly AwsCall[] => productionModifyRules(account, example);
  const ledger = (): readonly Record<string, unknown>[] => ledgerRecordsOf(account, example);
  const expectNoTrafficChange = (): void => expectFailedWithoutTrafficChange(account, example);

  useSimulatedAccount(account, () => {
    runner = new LocalRunner({ account });
  });

  describe('approvals', () => {
    it('shifts traffic only after an approver approves, and records the approver in the ledger', async () => {
      // Prepare
      seed({ requireApproval: true });
      let approvedAt = 0;
      const answers: ApprovalResult[] = [];
      runner.onTaskWaiting('AwaitApproval', async ({ now: at }) => {
        approvedAt = at.getTime();
        answers.push(await decide({ decision: 'approve', actor: 'bob', reason: 'change CHG-42' }, at));
      });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(answers).toEqual([expect.objectContaining({ exitCode: 0 })]);
      expect(productionRuleChanges()).toHaveLength(2);
      expect(productionRuleChanges().every((call) => call.at >= approvedAt)).toBe(true);
      expect(ledger()).toEqual([
        expect.objectContaining({ outcome: 'Succeeded', requestedBy: 'alice', approval: expect.objectContaining({ decision: 'approved', decidedBy: 'bob', reason: 'change CHG-42' }) }),
      ]);
    });

    it('refuses the requester approving their own release, then accepts another approver', async () => {
      // Prepare
      seed({ requireApproval: true, allowSelfApproval: false });
      const answers: ApprovalResult[] = [];
      runner.onTaskWaiting('AwaitApproval', async ({ now: at }) => {
        answers.push(await decide({ decision: 'approve', actor: 'alice' }, at));
        answers.push(await decide({ decision: 'approve', actor: 'bob' }, at));
      });

      // Act
      const result = await runner.run(releaseInput('alice'));

      // Assess
      expect(answers.map((answer) => answer.exitCode)).toEqual([1, 0]);
      expect(answers[0]?.message).toContain('cannot approve it');
      expect(result.status).toBe('SUCCEEDED');
      expect(ledger()[0]?.approval).toMatchObject({ decidedBy: 'bob' });
    });

    it('refuses an approver who is not in the approvers list', async () => {
      // Prepare
      seed({ requireApproval: true, approvers: ['carol'] });
      const answers: ApprovalResult[] = [];
      runner.onTaskWaiting('AwaitApproval', async ({ now: at }) => {
        answers.push(await decide({ decision: 'approve', actor: 'bob' }, at));
        answers.push(await decide({ decision: 'approve', actor: 'carol' }, at));
      });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(answers.map((answer) => answer.exitCode)).toEqual([1, 0]);
      expect(result.status).toBe('SUCCEEDED');
    });

    it('ends Failed with ApprovalRejected and no traffic change when an approver rejects', async () => {
      // Prepare
      seed({ requireApproval: true });
      runner.onTaskWaiting('AwaitApproval', async ({ now: at }) => {
        await decide({ decision: 'reject', actor: 'bob', reason: 'not during the sale' }, at);
      });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('ApprovalRejected');
      expect(result.cause).toContain('rejected by bob: not during the sale');
      expectNoTrafficChange();
      expect(ledger()[0]?.approval).toMatchObject({ decision: 'rejected', decidedBy: 'bob' });
    });

    it('ends Failed with ApprovalRejected and no traffic change when nobody answers before the timeout', async () => {
      // Prepare
      seed({ requireApproval: true, approvalTimeoutSeconds: 3600 });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('ApprovalRejected');
      expect(result.cause).toContain('no approval within 3600 s');
      expectNoTrafficChange();
    });

    it('does not wait for an approval when the environment does not require one', async () => {
      // Prepare
      seed({});

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(result.events.some((event) => event.stateName === 'AwaitApproval')).toBe(false);
    });
  });

  describe('freeze windows', () => {
    const mondayMorning = { from: { day: 'mon', time: '08:00' }, to: { day: 'mon', time: '12:00' } };

    it('waits at the gate until the window ends, then shifts traffic', async () => {
      // Prepare
      seed({ freeze: { windows: [mondayMorning] } });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      const firstShift = productionRuleChanges()[0]?.at ?? 0;
      expect(firstShift).toBeGreaterThanOrEqual(Date.parse('2025-06-02T12:00:00.000Z'));
      expect(ledger().map((record) => record.outcome)).toEqual(['Succeeded']);
    });

    it('refuses the release with ReleaseFrozen and no traffic change when the environment refuses during a freeze', async () => {
      // Prepare
      seed({ freeze: { windows: [mondayMorning], onFreeze: 'refuse' } });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('ReleaseFrozen');
      expect(result.cause).toContain('mon 08:00 → mon 12:00 UTC');
      expectNoTrafficChange();
    });

    it('refuses the release when the freeze outlasts maxWaitSeconds', async () => {
      // Prepare
      seed({ freeze: { dates: ['2025-06-02', '2025-06-03'], maxWaitSeconds: 3600 } });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('ReleaseFrozen');
      expect(result.cause).toContain('2025-06-04T00:00:00.000Z');
      expectNoTrafficChange();
    });

    it('rolls back during a freeze: a rollback is never frozen', async () => {
      // Prepare: the freeze starts after the gate passed, during the second bake.
      seed({ freeze: { windows: [{ from: { day: 'mon', time: '09:10' }, to: { day: 'mon', time: '18:00' } }] } }, {
        steps: [{ setWeight: 10 }, { pause: { durationSeconds: 600 } }, { setWeight: 50 }, { pause: { durationSeconds: 3600 } }, { setWeight: 100 }],
      });
      let abortedAt = 0;
      runner.onTaskWaiting('Bake', async ({ occurrence, now: at }) => {
        if (occurrence !== 2) return;
        abortedAt = at.getTime();
        const bake = account.dynamodb.documents(account.tableName, `BAKE#${example.environment}#${example.service}`)[0];
        await new SFNClient({}).send(new SendTaskFailureCommand({ taskToken: String(bake?.taskToken), error: 'ReleaseAborted', cause: 'aborted by bob' }));
      });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(abortedAt).toBeGreaterThan(Date.parse('2025-06-02T09:10:00.000Z'));
      expect(result.error).toBe('ReleaseRolledBack');
      const lastShift = productionRuleChanges().at(-1);
      expect(lastShift?.at).toBeLessThan(Date.parse('2025-06-02T18:00:00.000Z'));
      expect(account.ecs.describe(example.green.serviceName).desiredCount).toBe(0);
      expect(ledger().map((record) => record.outcome)).toEqual(['RolledBack']);
    });
  });

  describe('an approval given inside a freeze window', () => {
    it('checks the freeze again after the approval: no traffic moves until the window ends', async () => {
      // Prepare: no freeze when the release reaches the gate; the approver answers at 10:00, inside a window 09:30 → 12:00.
      seed({ requireApproval: true, freeze: { windows: [{ from: { day: 'mon', time: '09:30' }, to: { day: 'mon', time: '12:00' } }] } });
      const answers: ApprovalResult[] = [];
      runner.onTaskWaiting('AwaitApproval', async () => {
        await virtualDelayUntil('2025-06-02T10:00:00.000Z');
        answers.push(await decide({ decision: 'approve', actor: 'bob' }, new Date()));
      });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(answers.map((answer) => answer.exitCode)).toEqual([0]);
      expect(result.status).toBe('SUCCEEDED');
      expect(productionRuleChanges()).toHaveLength(2);
      expect(productionRuleChanges()[0]?.at).toBeGreaterThanOrEqual(Date.parse('2025-06-02T12:00:00.000Z'));
      expect(result.events.filter((event) => event.type === 'StateEntered' && event.stateName === 'AwaitApproval')).toHaveLength(1);
      expect(result.events.some((event) => event.type === 'StateEntered' && event.stateName === 'WaitForFreezeEnd')).toBe(true);
    });

    it('refuses the approved release with ReleaseFrozen when the environment refuses during a freeze', async () => {
      // Prepare
      seed({ requireApproval: true, freeze: { windows: [{ from: { day: 'mon', time: '09:30' }, to: { day: 'mon', time: '12:00' } }], onFreeze: 'refuse' } });
      runner.onTaskWaiting('AwaitApproval', async () => {
        await virtualDelayUntil('2025-06-02T10:00:00.000Z');
        await decide({ decision: 'approve', actor: 'bob' }, new Date());
      });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('ReleaseFrozen');
      expect(result.cause).toMatch(/^release policy gate failed, no traffic moved: ReleaseFrozen: .* is frozen \(mon 09:30 → mon 12:00 UTC\)/);
      expectNoTrafficChange();
    });
  });

  describe('the order of the gates', () => {
    it('runs the migration only after the approval', async () => {
      // Prepare
      seed({ requireApproval: true }, SHORT_STRATEGY, { migration: MIGRATION });
      account.ecs.scriptOneOffTasks({ exitCode: 0, runSeconds: 60 });
      let approvedAt = 0;
      runner.onTaskWaiting('AwaitApproval', async () => {
        await virtualDelayUntil('2025-06-02T10:00:00.000Z');
        approvedAt = Date.now();
        await decide({ decision: 'approve', actor: 'bob' }, new Date());
      });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(approvedAt).toBe(Date.parse('2025-06-02T10:00:00.000Z'));
      expect(account.calls('RunTask')).toHaveLength(1);
      expect(account.calls('RunTask')[0]?.at).toBeGreaterThanOrEqual(approvedAt);
      expect(productionRuleChanges().every((call) => call.at > (account.calls('RunTask')[0]?.at ?? Infinity))).toBe(true);
    });

    it('never runs the migration of a release whose approval is rejected', async () => {
      // Prepare
      seed({ requireApproval: true }, SHORT_STRATEGY, { migration: MIGRATION });
      account.ecs.scriptOneOffTasks({ exitCode: 0, runSeconds: 60 });
      runner.onTaskWaiting('AwaitApproval', async ({ now: at }) => {
        await decide({ decision: 'reject', actor: 'bob' }, at);
      });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.error).toBe('ApprovalRejected');
      expect(account.calls('RunTask')).toEqual([]);
      expectNoTrafficChange();
    });

    it('runs the migration only after the freeze ends', async () => {
      // Prepare
      seed({ freeze: { windows: [{ from: { day: 'mon', time: '08:00' }, to: { day: 'mon', time: '12:00' } }] } }, SHORT_STRATEGY, { migration: MIGRATION });
      account.ecs.scriptOneOffTasks({ exitCode: 0, runSeconds: 60 });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(account.calls('RunTask')[0]?.at).toBeGreaterThanOrEqual(Date.parse('2025-06-02T12:00:00.000Z'));
    });

    it('never runs the migration of a release that the environment refuses during a freeze', async () => {
      // Prepare
      seed({ freeze: { windows: [{ from: { day: 'mon', time: '08:00' }, to: { day: 'mon', time: '12:00' } }], onFreeze: 'refuse' } }, SHORT_STRATEGY, { migration: MIGRATION });
      account.ecs.scriptOneOffTasks({ exitCode: 0, runSeconds: 60 });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.error).toBe('ReleaseFrozen');
      expect(account.calls('RunTask')).toEqual([]);
      expectNoTrafficChange();
    });
  });

  describe('abort at a gate', () => {
    it('ends a release parked at the freeze gate: Failed with ReleaseAborted, idle at 0, lock free, no traffic moved', async () => {
      // Prepare
      seed({ freeze: { windows: [{ from: { day: 'mon', time: '08:00' }, to: { day: 'mon', time: '12:00' } }] } }, SHORT_STRATEGY, { migration: MIGRATION });
      account.ecs.scriptOneOffTasks({ exitCode: 0, runSeconds: 60 });
      const results: OperatorResult[] = [];
      runner.onTaskWaiting('WaitForFreezeEnd', async () => {
        await virtualDelayUntil('2025-06-02T09:30:00.000Z');
        results.push(await operate({ command: 'status', actor: 'bob' }, new Date()));
        results.push(await operate({ command: 'promote', actor: 'bob' }, new Date()));
        results.push(await operate({ command: 'abort', actor: 'bob', reason: 'wrong build' }, new Date()));
      });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      const [status, promote, abort] = results;
      expect(status?.message).toContain('parked at the freeze gate until 2025-06-02T12:00:00.000Z (mon 08:00 → mon 12:00 UTC), no traffic moved');
      expect(status?.details?.gate).toMatchObject({ name: 'freeze', until: '2025-06-02T12:00:00.000Z' });
      expect(JSON.stringify(status)).not.toContain('taskToken');
      expect(promote?.exitCode).toBe(1);
      expect(abort).toMatchObject({ exitCode: 0, message: expect.stringContaining('aborted at the freeze gate') });
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('ReleaseAborted');
      expect(result.cause).toBe('aborted at the freeze gate, no traffic moved: ReleaseAborted: aborted by bob: wrong build');
      expect(result.endedAt.getTime()).toBeLessThan(Date.parse('2025-06-02T09:31:00.000Z'));
      expect(ledger()[0]).toMatchObject({ outcome: 'Failed', cause: result.cause });
      expect(account.calls('RunTask')).toEqual([]);
      expectNoTrafficChange();
    });

    it('ends a release waiting for an approval: Failed with ReleaseAborted, idle at 0, lock free, no traffic moved', async () => {
      // Prepare
      seed({ requireApproval: true }, SHORT_STRATEGY, { migration: MIGRATION });
      account.ecs.scriptOneOffTasks({ exitCode: 0, runSeconds: 60 });
      const results: (OperatorResult | ApprovalResult)[] = [];
      runner.onTaskWaiting('AwaitApproval', async () => {
        await virtualDelayUntil('2025-06-02T10:00:00.000Z');
        results.push(await operate({ command: 'status', actor: 'bob' }, new Date()));
        results.push(await operate({ command: 'abort', actor: 'bob' }, new Date()));
      });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      const [status, abort] = results;
      const approveAfterAbort = await decide({ decision: 'approve', actor: 'carol' }, new Date('2025-06-02T10:05:00.000Z'));
      expect(status?.message).toContain('parked at the approval gate until 2025-06-03T');
      expect(status?.message).toContain('waiting for cutover approve');
      expect(abort).toMatchObject({ exitCode: 0, message: expect.stringContaining('aborted at the approval gate') });
      expect(approveAfterAbort?.exitCode).toBe(1);
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('ReleaseAborted');
      expect(result.cause).toBe('aborted at the approval gate, no traffic moved: ReleaseAborted: aborted by bob');
      expect(result.endedAt.getTime()).toBeLessThan(Date.parse('2025-06-02T10:01:00.000Z'));
      expect(ledger()[0]).toMatchObject({ outcome: 'Failed', cause: result.cause });
      expect(ledger()[0]?.approval).toBeUndefined();
      expect(account.calls('RunTask')).toEqual([]);
      expectNoTrafficChange();
    });

    it('says nothing waits at a gate once the approval was given', async () => {
      // Prepare
      seed({ requireApproval: true }, { steps: [{ setWeight: 10 }, { pause: { durationSeconds: 600 } }, { setWeight: 100 }] });
      const statuses: OperatorResult[] = [];
      runner.onTaskWaiting('AwaitApproval', async ({ now: at }) => {
        await decide({ decision: 'approve', actor: 'bob' }, at);
      });
      runner.onTaskWaiting('Bake', async ({ now: at }) => {
        statuses.push(await operate({ command: 'status', actor: 'bob' }, at));
      });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(statuses[0]?.message).toContain('baking at 10 %');
      expect(statuses[0]?.details?.gate).toBeUndefined();
      expect(statuses[0]?.details?.lock).not.toHaveProperty('gate');
    });
  });

  describe('invalid settings', () => {
    it('ends Failed with InvalidEnvironmentSettings, not ReleaseFrozen, and no traffic change', async () => {
      // Prepare
      seed({ freeze: { onFreeze: 'sometimes' } });

      // Act
      const result = await runner.run(releaseInput());

      // Assess
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('InvalidEnvironmentSettings');
      expect(result.cause).toContain('release policy gate failed, no traffic moved: InvalidEnvironmentSettings: /cutover/');
      expectNoTrafficChange();
    });
  });
});
