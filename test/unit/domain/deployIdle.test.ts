import { describe, expect, it } from 'vitest';
import { deployIdle } from '../../../lambdas/domain/deployIdle.ts';
import { ReleaseError } from '../../../lambdas/domain/errors.ts';
import { fakeAwsPorts } from '../../support/fakeAwsPorts.ts';
import { releaseContextFixture, releaseStateFixture } from '../../support/releaseStateFixture.ts';

const NEW_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8';
const afterBuild = (readyTimeoutSeconds = 900) =>
  releaseStateFixture({ release: releaseContextFixture({ readyTimeoutSeconds }), build: { taskDefinitionArn: NEW_TD }, deploy: undefined, ready: undefined, step: undefined });

describe('Function: deployIdle', () => {
  it('points the idle service at the new task definition with the stable desired count', async () => {
    // Prepare
    const fake = fakeAwsPorts();

    // Act
    await deployIdle(afterBuild(), fake.ports, new Date('2025-01-01T00:01:00.000Z'));

    // Assess
    expect(fake.calls.updates).toEqual([{ cluster: 'prod-cluster', serviceName: 'web-green', update: { taskDefinition: NEW_TD, desiredCount: 3 } }]);
  });

  it('sets the ready deadline readyTimeoutSeconds from now', async () => {
    // Prepare
    const fake = fakeAwsPorts();

    // Act
    const result = await deployIdle(afterBuild(600), fake.ports, new Date('2025-01-01T00:01:00.000Z'));

    // Assess
    expect(result).toEqual({ readyDeadlineAt: '2025-01-01T00:11:00.000Z' });
  });

  it('throws ReleaseError without touching the service when Build has not run', async () => {
    // Prepare
    const fake = fakeAwsPorts();

    // Act & Assess
    await expect(deployIdle(releaseStateFixture({ build: undefined }), fake.ports, new Date())).rejects.toThrow(ReleaseError);
    expect(fake.calls.updates).toHaveLength(0);
  });
});
