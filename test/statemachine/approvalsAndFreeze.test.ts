import { SFNClient, SendTaskFailureCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalTable } from '../../lambdas/adapters/ApprovalTable.ts';
import { ExecutionAdapter } from '../../lambdas/adapters/ExecutionAdapter.ts';
import { ReleaseTable } from '../../lambdas/adapters/ReleaseTable.ts';
import { decideApproval, type ApprovalRequest, type ApprovalResult } from '../../lambdas/domain/approval.ts';
import { environmentSettingsParameterName } from '../../lambdas/domain/environmentSettings.ts';
import type { AwsCall } from '../../sandbox/account/CallLog.ts';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { seedExampleService, type ExampleService } from '../../sandbox/account/seedExampleService.ts';
import { LocalRunner } from '../../sandbox/localRunner.ts';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const SHORT_STRATEGY = { steps: [{ setWeight: 10 }, { pause: { durationSeconds: 60 } }, { setWeight: 100 }] };
// The runner starts executions at 2025-06-02T09:00:00Z, a Monday.

describe('State machine: approvals and freeze windows', () => {
  const account = new SimulatedAccount();
  let runner: LocalRunner;
  let example: ExampleService;

  const seed = (settings: Record<string, unknown>, strategy: unknown = SHORT_STRATEGY): void => {
    example = seedExampleService(account, { terminationWaitSeconds: 0 });
    account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, strategy }));
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
  const productionModifyRules = (): readonly AwsCall[] =>
    account.calls('ModifyRule').filter((call) => call.error === undefined && call.input.RuleArn === example.productionListenerRuleArn);
  const ledger = (): readonly Record<string, unknown>[] => account.dynamodb.documents(account.tableName, `RELEASE#${example.environment}#${example.service}`);
  const lock = (): Record<string, unknown> | undefined => account.dynamodb.documents(account.tableName, `LOCK#${example.environment}#${example.service}`)[0];
  const expectNoTrafficChange = (): void => {
    expect(productionModifyRules()).toEqual([]);
    expect(account.ecs.describe(example.green.serviceName).desiredCount).toBe(0);
    expect(account.ecs.describe(example.blue.serviceName).desiredCount).toBe(2);
    expect(ledger().map((record) => record.outcome)).toEqual(['Failed']);
    expect(lock()).toBeUndefined();
  };

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
      expect(productionModifyRules()).toHaveLength(2);
      expect(productionModifyRules().every((call) => call.at >= approvedAt)).toBe(true);
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
      const firstShift = productionModifyRules()[0]?.at ?? 0;
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
      const lastShift = productionModifyRules().at(-1);
      expect(lastShift?.at).toBeLessThan(Date.parse('2025-06-02T18:00:00.000Z'));
      expect(account.ecs.describe(example.green.serviceName).desiredCount).toBe(0);
      expect(ledger().map((record) => record.outcome)).toEqual(['RolledBack']);
    });
  });
});
