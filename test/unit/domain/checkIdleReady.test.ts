import { beforeEach, describe, expect, it } from 'vitest';
import { checkIdleReady } from '../../../lambdas/domain/checkIdleReady.ts';
import { IdleNotReady } from '../../../lambdas/domain/errors.ts';
import type { DeploymentView, EcsServiceView } from '../../../lambdas/domain/ports.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';
import { fakeAwsPorts } from '../../support/fakeAwsPorts.ts';

const NEW_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8';
const GREEN_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-green/fedcba9876543210';
// The fixture's release has readyTimeoutSeconds 900, so DeployIdle ran at 00:00:00.
const DEADLINE = '2025-01-01T00:15:00.000Z';
const state = releaseStateFixture({ build: { taskDefinitionArn: NEW_TD }, deploy: { readyDeadlineAt: DEADLINE }, ready: undefined, step: undefined });

function idleService(runningCount: number, deployment: Partial<DeploymentView> = {}): EcsServiceView {
  return {
    serviceName: 'web-green',
    serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/prod-cluster/web-green',
    status: 'ACTIVE',
    taskDefinition: NEW_TD,
    desiredCount: 3,
    runningCount,
    pendingCount: 3 - runningCount,
    deployments: [
      { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: NEW_TD, desiredCount: 3, runningCount, pendingCount: 3 - runningCount, rolloutState: 'IN_PROGRESS', ...deployment },
    ],
  };
}

describe('Function: checkIdleReady', () => {
  let fake: ReturnType<typeof fakeAwsPorts>;

  beforeEach(() => {
    fake = fakeAwsPorts();
  });

  it('reports ready with no wait once the idle colour is ready', async () => {
    // Prepare
    fake.aws.services.set('web-green', idleService(3, { rolloutState: 'COMPLETED' }));
    fake.aws.targetHealth.set(GREEN_TG, ['a', 'b', 'c'].map((id) => ({ id, state: 'healthy' })));

    // Act
    const result = await checkIdleReady(state, fake.ports, new Date('2025-01-01T00:02:00.000Z'));

    // Assess
    expect(result).toEqual({ ready: true, detail: '3/3 tasks running, 3/3 targets healthy', waitSeconds: 0 });
  });

  it('asks for a wait that grows with the time since DeployIdle while not ready', async () => {
    // Prepare
    fake.aws.services.set('web-green', idleService(1));
    fake.aws.targetHealth.set(GREEN_TG, [{ id: 'a', state: 'initial' }]);

    // Act
    const early = await checkIdleReady(state, fake.ports, new Date('2025-01-01T00:00:05.000Z'));
    const later = await checkIdleReady(state, fake.ports, new Date('2025-01-01T00:01:40.000Z'));

    // Assess
    expect(early).toMatchObject({ ready: false, waitSeconds: 10 });
    expect(later).toMatchObject({ ready: false, waitSeconds: 50 });
    expect(later.detail).toMatch(/^1\/3 tasks running, 0\/3 targets healthy/);
  });

  it('does not wait past the deadline', async () => {
    // Prepare
    fake.aws.services.set('web-green', idleService(1));

    // Act
    const result = await checkIdleReady(state, fake.ports, new Date('2025-01-01T00:14:48.000Z'));

    // Assess
    expect(result.waitSeconds).toBe(12);
  });

  it('throws IdleNotReady naming the colour, service and timeout at the deadline', async () => {
    // Prepare
    fake.aws.services.set('web-green', idleService(2));

    // Act & Assess
    await expect(checkIdleReady(state, fake.ports, new Date(DEADLINE))).rejects.toThrow(
      new IdleNotReady('idle colour green (web-green) not ready after 900 s: 2/3 tasks running, 0/3 targets healthy; deployment IN_PROGRESS'),
    );
  });

  it('throws IdleNotReady before the deadline when the deployment failed', async () => {
    // Prepare
    fake.aws.services.set('web-green', idleService(0, { rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' }));

    // Act & Assess
    await expect(checkIdleReady(state, fake.ports, new Date('2025-01-01T00:01:00.000Z'))).rejects.toThrow(
      expect.objectContaining({ name: 'IdleNotReady', message: expect.stringContaining('tasks failed to start') }),
    );
  });

  it('throws IdleNotReady when the idle service is gone', async () => {
    // Act & Assess
    await expect(checkIdleReady(state, fake.ports, new Date('2025-01-01T00:01:00.000Z'))).rejects.toThrow(IdleNotReady);
  });
});
