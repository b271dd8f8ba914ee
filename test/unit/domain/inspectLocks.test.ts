import { describe, expect, it } from 'vitest';
import { inspectLocks } from '../../../lambdas/domain/inspectLocks.ts';
import type { ExecutionPort, LockRecord } from '../../../lambdas/domain/ports.ts';

const NOW = new Date('2025-01-02T00:00:00.000Z');
const lock = (service: string, acquiredAt: string, executionArn: string): LockRecord => ({ service, environment: 'prod', releaseId: `rel-${service}`, executionArn, acquiredAt });

function portsWith(locks: readonly LockRecord[], statuses: Readonly<Record<string, string>>) {
  const executions: ExecutionPort = {
    describeExecutionStatus: async (arn) => statuses[arn],
    sendTaskFailure: async () => true,
    sendTaskSuccess: async () => true,
  };
  return {
    parameters: {
      getParametersByPath: async (path: string) =>
        new Map(['web', 'api', 'idle'].map((service) => [`${path}/${service}`, '{}'] as const).filter(() => path === '/cutover/prod/services')),
    },
    store: { getLock: async (environment: string, service: string) => locks.find((held) => held.environment === environment && held.service === service) },
    executions,
  };
}

describe('Function: inspectLocks', () => {
  it('reports the held locks of the configured services with the oldest age and the locks of ended executions', async () => {
    // Prepare
    const ports = portsWith(
      [lock('web', '2025-01-01T23:00:00.000Z', 'arn:running'), lock('api', '2025-01-01T12:00:00.000Z', 'arn:stopped')],
      { 'arn:running': 'RUNNING', 'arn:stopped': 'ABORTED' },
    );

    // Act
    const inspection = await inspectLocks(ports, 'prod', NOW);

    // Assess
    expect(inspection).toMatchObject({ heldLocks: 2, oldestLockAgeSeconds: 12 * 3600, staleLocks: 1 });
    expect(inspection.locks.find((held) => held.service === 'api')).toMatchObject({ stale: true, executionStatus: 'ABORTED' });
    expect(inspection.locks.find((held) => held.service === 'web')).toMatchObject({ stale: false, ageSeconds: 3600 });
  });

  it('counts a lock whose execution does not exist as stale', async () => {
    // Prepare
    const ports = portsWith([lock('web', '2025-01-01T23:00:00.000Z', 'arn:gone')], {});

    // Act
    const inspection = await inspectLocks(ports, 'prod', NOW);

    // Assess
    expect(inspection.staleLocks).toBe(1);
  });

  it('reports zeros when no lock is held', async () => {
    // Act
    const inspection = await inspectLocks(portsWith([], {}), 'prod', NOW);

    // Assess
    expect(inspection).toEqual({ heldLocks: 0, oldestLockAgeSeconds: 0, staleLocks: 0, locks: [] });
  });
});
