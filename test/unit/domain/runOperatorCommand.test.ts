import { describe, expect, it } from 'vitest';
import { runOperatorCommand, type OperatorRequest } from '../../../lambdas/domain/runOperatorCommand.ts';
import type { BakeTokenRecord, ExecutionPort, LedgerRecord, LockRecord, ParkedGate, ReleaseStorePort } from '../../../lambdas/domain/ports.ts';

const lock: LockRecord = { service: 'web', environment: 'prod', releaseId: 'rel-2', executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:cutover-prod-release:rel-2', acquiredAt: '2026-11-26T10:00:00.000Z' };
const bake: BakeTokenRecord = { service: 'web', environment: 'prod', releaseId: 'rel-2', executionArn: lock.executionArn, stepIndex: 0, weight: 10, manual: false, taskToken: 'token-2', startedAt: '2026-11-26T10:05:00.000Z', endsAt: '2026-11-26T10:10:00.000Z' };

const approvalGate: ParkedGate = { name: 'approval', taskToken: 'approval-token', since: '2026-11-26T10:04:00.000Z', until: '2026-11-27T10:04:00.000Z', reason: 'prod requires an approval' };
const freezeGate: ParkedGate = { name: 'freeze', taskToken: 'freeze-token', since: '2026-11-26T10:04:00.000Z', until: '2026-11-26T12:00:00.000Z', reason: 'thu 08:00 → thu 12:00 UTC' };
const AT_GATE = new Date('2026-11-26T10:30:00.000Z');

function fakes(state: { lock?: LockRecord; bake?: BakeTokenRecord; tokenWaiting?: boolean; releases?: LedgerRecord[] }) {
  const sent: { kind: string; token: string; args: unknown[] }[] = [];
  const recorded: unknown[][] = [];
  const store = {
    getLock: async () => state.lock,
    getCurrentBake: async () => state.bake,
    listReleases: async (): Promise<LedgerRecord[]> => state.releases ?? [],
    recordOperatorAction: async (...recordArgs: unknown[]) => {
      recorded.push(recordArgs);
    },
  } as unknown as ReleaseStorePort;
  const executions: ExecutionPort = {
    describeExecutionStatus: async () => 'RUNNING',
    sendTaskFailure: async (token, ...args) => {
      sent.push({ kind: 'failure', token, args });
      return state.tokenWaiting ?? true;
    },
    sendTaskSuccess: async (token, ...args) => {
      sent.push({ kind: 'success', token, args });
      return state.tokenWaiting ?? true;
    },
  };
  return { ports: { store, executions }, sent, recorded };
}

const args = (command: OperatorRequest['command'], reason?: string): OperatorRequest => ({ command, service: 'web', environment: 'prod', actor: 'alice', ...(reason ? { reason } : {}) });

describe('Function: runOperatorCommand', () => {
  it('aborts the waiting bake of the lock holder with ReleaseAborted and the actor in the cause', async () => {
    // Prepare
    const { ports, sent } = fakes({ lock, bake });

    // Act
    const result = await runOperatorCommand(args('abort', 'error spike'), ports, new Date('2025-01-01T00:10:00.000Z'));

    // Assess
    expect(result.exitCode).toBe(0);
    const cause = JSON.stringify({ errorType: 'ReleaseAborted', errorMessage: 'aborted by alice: error spike', signalledAt: '2025-01-01T00:10:00.000Z' });
    expect(sent).toEqual([{ kind: 'failure', token: 'token-2', args: ['ReleaseAborted', cause] }]);
  });

  it('promotes the waiting bake with the promoter in the output', async () => {
    // Prepare
    const { ports, sent } = fakes({ lock, bake: { ...bake, manual: true } });

    // Act
    const result = await runOperatorCommand(args('promote'), ports);

    // Assess
    expect(result.exitCode).toBe(0);
    expect(sent).toEqual([{ kind: 'success', token: 'token-2', args: [{ promotedBy: 'alice' }] }]);
  });

  it('records who promoted in the release ledger record', async () => {
    // Prepare
    const ledger = { releaseId: 'rel-2', startedAt: '2026-11-26T09:59:58.000Z' } as LedgerRecord;
    const { ports, recorded } = fakes({ lock, bake: { ...bake, manual: true }, releases: [ledger] });

    // Act
    const result = await runOperatorCommand(args('promote', 'dashboards are green'), ports, new Date('2026-11-26T10:06:00.000Z'));

    // Assess
    expect(result.exitCode).toBe(0);
    expect(recorded).toEqual([
      ['prod', 'web', '2026-11-26T09:59:58.000Z#rel-2', { action: 'promote', actor: 'alice', at: '2026-11-26T10:06:00.000Z', weight: 10, reason: 'dashboards are green' }],
    ]);
  });

  it('keeps a promotion that could not be recorded, and says so', async () => {
    // Prepare
    const { ports, sent } = fakes({ lock, bake: { ...bake, manual: true }, releases: [] });

    // Act
    const result = await runOperatorCommand(args('promote'), ports);

    // Assess
    expect(sent).toHaveLength(1);
    expect(result).toMatchObject({ exitCode: 0, message: expect.stringContaining('not recorded in the ledger') });
  });

  it('does not answer a bake left by a release that no longer holds the lock', async () => {
    // Prepare
    const { ports, sent } = fakes({ lock, bake: { ...bake, releaseId: 'rel-1' } });

    // Act
    const result = await runOperatorCommand(args('abort'), ports);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.message).toContain('no bake is waiting');
    expect(sent).toEqual([]);
  });

  it('reports a bake that ended before the answer arrived', async () => {
    // Prepare
    const { ports } = fakes({ lock, bake, tokenWaiting: false });

    // Act
    const result = await runOperatorCommand(args('promote'), ports);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.message).toContain('already ended');
  });

  it('shows the lock holder and the waiting bake without its task token', async () => {
    // Prepare
    const { ports } = fakes({ lock, bake });

    // Act
    const result = await runOperatorCommand(args('status'), ports);

    // Assess
    expect(result.message).toContain('release rel-2 holds the lock');
    expect(result.message).toContain('baking at 10 %');
    expect(result.details?.lock?.executionStatus).toBe('RUNNING');
    expect(JSON.stringify(result)).not.toContain('token-2');
  });

  it('says when no release is in progress', async () => {
    // Prepare
    const { ports } = fakes({});

    // Act
    const result = await runOperatorCommand(args('status'), ports);

    // Assess
    expect(result).toMatchObject({ exitCode: 0, message: 'web in prod: no release in progress' });
  });

  describe('a release parked at a gate', () => {
    it('aborts a release waiting for an approval by failing the gate token with ReleaseAborted', async () => {
      // Prepare
      const { ports, sent } = fakes({ lock: { ...lock, gate: approvalGate } });

      // Act
      const result = await runOperatorCommand(args('abort', 'wrong build'), ports, AT_GATE);

      // Assess
      expect(result).toMatchObject({ exitCode: 0, message: 'web in prod: release rel-2 aborted at the approval gate: it ends Failed, no traffic moved' });
      const cause = JSON.stringify({ errorType: 'ReleaseAborted', errorMessage: 'aborted by alice: wrong build', signalledAt: AT_GATE.toISOString() });
      expect(sent).toEqual([{ kind: 'failure', token: 'approval-token', args: ['ReleaseAborted', cause] }]);
      expect(JSON.stringify(result)).not.toContain('approval-token');
    });

    it('aborts a release waiting for a freeze to end', async () => {
      // Prepare
      const { ports, sent } = fakes({ lock: { ...lock, gate: freezeGate } });

      // Act
      const result = await runOperatorCommand(args('abort'), ports, AT_GATE);

      // Assess
      expect(result.exitCode).toBe(0);
      expect(sent).toEqual([{ kind: 'failure', token: 'freeze-token', args: ['ReleaseAborted', expect.stringContaining('aborted by alice')] }]);
    });

    it('does not let promote skip a gate', async () => {
      // Prepare
      const { ports, sent } = fakes({ lock: { ...lock, gate: freezeGate } });

      // Act
      const result = await runOperatorCommand(args('promote'), ports, AT_GATE);

      // Assess
      expect(result.exitCode).toBe(1);
      expect(result.message).toContain('parked at the freeze gate until 2026-11-26T12:00:00.000Z');
      expect(sent).toEqual([]);
    });

    it('no longer acts on a freeze wait whose window has ended', async () => {
      // Prepare
      const { ports, sent } = fakes({ lock: { ...lock, gate: freezeGate } });

      // Act
      const result = await runOperatorCommand(args('abort'), ports, new Date('2026-11-26T12:00:00.000Z'));

      // Assess
      expect(result.exitCode).toBe(1);
      expect(result.message).toContain('no bake is waiting');
      expect(sent).toEqual([]);
    });

    it('reports a gate wait that ended before the abort arrived', async () => {
      // Prepare
      const { ports } = fakes({ lock: { ...lock, gate: approvalGate }, tokenWaiting: false });

      // Act
      const result = await runOperatorCommand(args('abort'), ports, AT_GATE);

      // Assess
      expect(result).toMatchObject({ exitCode: 1, message: 'web in prod: the wait at the approval gate already ended, nothing to abort' });
    });

    it('shows where the release is parked, without the task token', async () => {
      // Prepare
      const { ports } = fakes({ lock: { ...lock, gate: approvalGate } });

      // Act
      const result = await runOperatorCommand(args('status'), ports, AT_GATE);

      // Assess
      expect(result.message).toContain(
        '; parked at the approval gate until 2026-11-27T10:04:00.000Z (prod requires an approval), waiting for cutover approve, no traffic moved',
      );
      expect(result.details?.gate).toEqual({ name: 'approval', since: approvalGate.since, until: approvalGate.until, reason: approvalGate.reason });
      expect(result.details?.lock).not.toHaveProperty('gate');
      expect(JSON.stringify(result)).not.toContain('approval-token');
    });

    it('acts on the bake, not on an earlier gate, once the release bakes', async () => {
      // Prepare
      const { ports, sent } = fakes({ lock: { ...lock, gate: approvalGate }, bake });

      // Act
      const result = await runOperatorCommand(args('abort'), ports, AT_GATE);

      // Assess
      expect(result.message).toContain('aborted: rolling back (at 10 %)');
      expect(sent.map((call) => call.token)).toEqual(['token-2']);
    });
  });
});
