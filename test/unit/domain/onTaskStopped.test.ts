import { beforeEach, describe, expect, it } from 'vitest';
import { onTaskStopped } from '../../../lambdas/domain/onTaskStopped.ts';
import { CallLog, FakeExecutions } from '../../support/fakePorts.ts';
import { InMemoryMigrationStore } from '../../support/fakeMigrationPorts.ts';

const NOW = new Date('2025-01-01T00:12:00.000Z');
const TASK = 'arn:aws:ecs:eu-west-1:123456789012:task/prod-cluster/0123456789abcdef0123456789abcdef';
const KEY = { environment: 'prod', service: 'web', digest: `sha256:${'a'.repeat(64)}`, phase: 'pre' };

function stoppedEvent(detail: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    detail: { taskArn: TASK, lastStatus: 'STOPPED', startedBy: 'cutover-migration-run-1', stopCode: 'EssentialContainerExited', containers: [{ name: 'app', exitCode: 0 }], ...detail },
  };
}

describe('Function: onTaskStopped', () => {
  let log: CallLog;
  let store: InMemoryMigrationStore;
  let executions: FakeExecutions;

  beforeEach(async () => {
    log = new CallLog();
    store = new InMemoryMigrationStore(log);
    executions = new FakeExecutions(log);
    await store.startMigration(
      { ...KEY, status: 'Running', runId: 'run-1', releaseId: 'rel-1', cluster: 'prod-cluster', containerName: 'app', startedAt: '2025-01-01T00:10:00.000Z', logGroup: '/ecs/web', logStreamPrefix: 'web' },
      { ...KEY, runId: 'run-1', taskToken: 'token-1', releaseId: 'rel-1', executionArn: 'arn:exec', containerName: 'app', endsAt: '2025-01-01T00:20:00.000Z', logGroup: '/ecs/web', logStreamPrefix: 'web' },
    );
  });

  it('succeeds the waiting task and records the migration when the container exits 0', async () => {
    // Act
    const result = await onTaskStopped(stoppedEvent(), { store, executions }, NOW);

    // Assess
    expect(result).toEqual({ taskArn: TASK, action: 'succeeded', delivered: true });
    expect(log.argsOf('executions.sendTaskSuccess')).toEqual([['token-1', { outcome: 'Succeeded', taskArn: TASK, releaseId: 'rel-1', exitCode: 0 }]]);
    expect(await store.getMigration(KEY)).toMatchObject({ status: 'Succeeded', exitCode: 0, endedAt: NOW.toISOString() });
  });

  it('fails the waiting task with MigrationFailed naming the exit code and the log stream', async () => {
    // Act
    await onTaskStopped(stoppedEvent({ containers: [{ name: 'app', exitCode: 1 }] }), { store, executions }, NOW);

    // Assess
    const cause = `migration task ${TASK}: container app exited with code 1; logs: CloudWatch Logs group /ecs/web, stream web/app/0123456789abcdef0123456789abcdef`;
    expect(log.argsOf('executions.sendTaskFailure')).toEqual([['token-1', 'MigrationFailed', cause]]);
    expect(await store.getMigration(KEY)).toMatchObject({ status: 'Failed', exitCode: 1, cause });
  });

  it('names the stop reason of a task that never ran its command', async () => {
    // Act
    await onTaskStopped(
      stoppedEvent({ stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)', containers: [{ name: 'app' }] }),
      { store, executions },
      NOW,
    );

    // Assess
    expect(log.argsOf('executions.sendTaskFailure')[0]?.[2]).toBe(
      `migration task ${TASK} stopped before container app exited: TaskFailedToStart: CannotPullContainerError: pull image manifest has been retried 5 time(s); logs: CloudWatch Logs group /ecs/web, stream web/app/0123456789abcdef0123456789abcdef`,
    );
  });

  it('ignores a stopped task that cutover did not start, and a run that already ended', async () => {
    // Prepare
    await onTaskStopped(stoppedEvent(), { store, executions }, NOW);

    // Act
    const foreign = await onTaskStopped(stoppedEvent({ startedBy: 'ecs-svc/123' }), { store, executions }, NOW);
    const repeated = await onTaskStopped(stoppedEvent({ containers: [{ name: 'app', exitCode: 1 }] }), { store, executions }, NOW);

    // Assess
    expect([foreign.action, repeated.action]).toEqual(['ignored', 'ignored']);
    expect(log.argsOf('executions.sendTaskFailure')).toEqual([]);
    expect(await store.getMigration(KEY)).toMatchObject({ status: 'Succeeded' });
  });

  it('throws InvalidTaskEvent for an event of another shape', async () => {
    // Act & Assess
    await expect(onTaskStopped({ 'detail-type': 'ECS Service Action', detail: {} }, { store, executions }, NOW)).rejects.toMatchObject({ name: 'InvalidTaskEvent' });
  });
});
