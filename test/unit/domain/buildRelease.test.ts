import { beforeEach, describe, expect, it } from 'vitest';
import { buildRelease } from '../../../lambdas/domain/buildRelease.ts';
import { InvalidServiceConfig } from '../../../lambdas/domain/errors.ts';
import { fakeAwsPorts } from '../../support/fakeAwsPorts.ts';
import { releaseContextFixture, releaseStateFixture } from '../../support/releaseStateFixture.ts';

const STABLE_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7';

describe('Function: buildRelease', () => {
  let fake: ReturnType<typeof fakeAwsPorts>;

  beforeEach(() => {
    fake = fakeAwsPorts();
    fake.aws.taskDefinitions.set(STABLE_TD, {
      taskDefinition: { taskDefinitionArn: STABLE_TD, family: 'web', revision: 7, containerDefinitions: [{ name: 'app', image: 'web:old' }] },
      tags: [{ key: 'team', value: 'payments' }],
    });
  });

  it('registers the stable task definition with the release image and returns the new ARN', async () => {
    // Prepare
    const state = releaseStateFixture();

    // Act
    const result = await buildRelease(state, fake.ports);

    // Assess
    expect(fake.calls.registered).toEqual([
      { family: 'web', containerDefinitions: [{ name: 'app', image: state.release.image.imageUri }], tags: [{ key: 'team', value: 'payments' }] },
    ]);
    expect(result).toEqual({ taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:101' });
  });

  it('throws InvalidServiceConfig and registers nothing when the container is not in the task definition', async () => {
    // Prepare
    const state = releaseStateFixture({ release: releaseContextFixture({ containerName: 'sidecar' }) });

    // Act & Assess
    await expect(buildRelease(state, fake.ports)).rejects.toThrow(InvalidServiceConfig);
    expect(fake.calls.registered).toHaveLength(0);
  });
});
