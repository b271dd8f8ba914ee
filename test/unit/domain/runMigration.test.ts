import { beforeEach, describe, expect, it } from 'vitest';
import type { EcsServiceView } from '../../../lambdas/domain/ports.ts';
import type { MigrationEvent } from '../../../lambdas/domain/releaseState.ts';
import { runMigration } from '../../../lambdas/domain/runMigration.ts';
import { CallLog, FakeExecutions } from '../../support/fakePorts.ts';
import { FakeEcsTasks, InMemoryMigrationStore } from '../../support/fakeMigrationPorts.ts';
import { releaseContextFixture, releaseStateFixture } from '../../support/releaseStateFixture.ts';

const NOW = new Date('2025-01-01T00:10:00.000Z');
const NEW_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8';
const TASK = 'arn:aws:ecs:eu-west-1:123456789012:task/prod-cluster/0123456789abcdef0123456789abcdef';
const KEY = { environment: 'prod', service: 'web', digest: `sha256:${'a'.repeat(64)}`, phase: 'pre' };

function liveService(): EcsServiceView {
  return {
    serviceName: 'web-blue',
    serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/prod-cluster/web-blue',
    status: 'ACTIVE',
    taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7',
    desiredCount: 3,
    runningCount: 3,
    pendingCount: 0,
    deployments: [],
    launch: { launchType: 'FARGATE', platformVersion: '1.4.0', network: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-web'], assignPublicIp: 'DISABLED' } },
  };
}

describe('Function: runMigration', () => {
  let log: CallLog;
  let ecs: FakeEcsTasks;
  let store: InMemoryMigrationStore;
  let executions: FakeExecutions;
  const event = (overrides: Partial<MigrationEvent> = {}): MigrationEvent => ({
    taskToken: 'token-1',
    timeoutSeconds: 600,
    phase: 'pre',
    state: releaseStateFixture({ release: releaseContextFixture({ migration: { command: ['npm', 'run', 'migrate'], timeoutSeconds: 600 } }), step: undefined }),
    ...overrides,
  });

  beforeEach(() => {
    log = new CallLog();
    ecs = new FakeEcsTasks(log);
    store = new InMemoryMigrationStore(log);
    executions = new FakeExecutions(log);
    ecs.services.set('web-blue', liveService());
    ecs.taskDefinitions.set(NEW_TD, {
      taskDefinition: {
        containerDefinitions: [{ name: 'app', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'web' } } }],
      },
    });
  });

  it('records the run, then starts the new task definition with the command, launched like the live service', async () => {
    // Act
    const result = await runMigration(event(), { ecs, store, executions }, NOW, 'run-1');

    // Assess
    expect(result).toEqual({ outcome: 'Started', taskArn: TASK, runId: 'run-1' });
    expect(log.names()).toEqual(['migrations.startMigration', 'ecs.runTask']);
    expect(log.argsOf('ecs.runTask')[0]?.[0]).toEqual({
      cluster: 'prod-cluster',
      taskDefinitionArn: NEW_TD,
      containerName: 'app',
      command: ['npm', 'run', 'migrate'],
      startedBy: 'cutover-migration-run-1',
      launch: liveService().launch,
    });
    expect(await store.getMigration(KEY)).toMatchObject({ status: 'Running', runId: 'run-1', releaseId: 'rel-1', taskArn: TASK, logGroup: '/ecs/web', logStreamPrefix: 'web' });
    expect(await store.getMigrationRun('run-1')).toMatchObject({ taskToken: 'token-1', containerName: 'app', endsAt: '2025-01-01T00:20:00.000Z' });
  });

  it('skips a migration that already succeeded for the digest and answers the token at once', async () => {
    // Prepare
    store.migrations.set(`prod#web#${KEY.digest}#pre`, {
      ...KEY, status: 'Succeeded', runId: 'run-0', releaseId: 'rel-0', cluster: 'prod-cluster', containerName: 'app', startedAt: '2024-12-31T00:00:00.000Z', taskArn: TASK, exitCode: 0,
    });

    // Act
    const result = await runMigration(event(), { ecs, store, executions }, NOW, 'run-1');

    // Assess
    expect(result).toEqual({ outcome: 'Skipped', releaseId: 'rel-0' });
    expect(log.names()).toEqual(['executions.sendTaskSuccess']);
    expect(log.argsOf('executions.sendTaskSuccess')[0]).toEqual(['token-1', { outcome: 'Skipped', releaseId: 'rel-0', taskArn: TASK, exitCode: 0 }]);
  });

  it('gives a run of the same release that is still running the new token instead of starting a second task', async () => {
    // Prepare
    await runMigration(event(), { ecs, store, executions }, NOW, 'run-1');

    // Act
    const result = await runMigration(event({ taskToken: 'token-2' }), { ecs, store, executions }, NOW, 'run-2');

    // Assess
    expect(result).toEqual({ outcome: 'Attached', runId: 'run-1' });
    expect(log.argsOf('ecs.runTask')).toHaveLength(1);
    expect((await store.getMigrationRun('run-1'))?.taskToken).toBe('token-2');
  });

  it('throws MigrationFailed naming the reason when ECS places no task, and records the failure', async () => {
    // Prepare
    ecs.nextRunTask = { failure: 'RESOURCE:MEMORY arn:aws:ecs:eu-west-1:123456789012:container-instance/abc' };

    // Act & Assess
    await expect(runMigration(event(), { ecs, store, executions }, NOW, 'run-1')).rejects.toMatchObject({
      name: 'MigrationFailed',
      message: 'the migration task could not start: RESOURCE:MEMORY arn:aws:ecs:eu-west-1:123456789012:container-instance/abc',
    });
    expect(await store.getMigration(KEY)).toMatchObject({ status: 'Failed' });
    expect(await store.getMigrationRun('run-1')).toBeUndefined();
  });

  it('ends the run when the RunTask call fails, so that a retry starts afresh', async () => {
    // Prepare
    ecs.nextRunTask = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

    // Act & Assess
    await expect(runMigration(event(), { ecs, store, executions }, NOW, 'run-1')).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(await store.getMigration(KEY)).toMatchObject({ status: 'Failed', cause: 'RunTask failed: ThrottlingException' });
  });

  it('throws MigrationFailed when the migration container is not in the task definition', async () => {
    // Prepare
    const state = releaseStateFixture({ release: releaseContextFixture({ migration: { command: ['migrate'], timeoutSeconds: 60, containerName: 'migrator' } }) });

    // Act & Assess
    await expect(runMigration(event({ state }), { ecs, store, executions }, NOW, 'run-1')).rejects.toMatchObject({
      name: 'MigrationFailed',
      message: `container migrator is not in task definition ${NEW_TD}; set migration.containerName`,
    });
    expect(log.argsOf('ecs.runTask')).toHaveLength(0);
  });

  it('runs the post-promotion migration in the network of the new live colour', async () => {
    // Prepare
    ecs.services.set('web-green', { ...liveService(), serviceName: 'web-green', launch: { capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] } });
    const state = releaseStateFixture({ release: releaseContextFixture({ postPromotionMigration: { command: ['contract'], timeoutSeconds: 60 } }) });

    // Act
    await runMigration(event({ phase: 'post', state }), { ecs, store, executions }, NOW, 'run-1');

    // Assess
    expect(log.argsOf('ecs.runTask')[0]?.[0]).toMatchObject({ command: ['contract'], launch: { capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] } });
    expect(await store.getMigration({ ...KEY, phase: 'post' })).toMatchObject({ status: 'Running' });
  });
});
