import { DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler } = await import('../../../lambdas/handlers/build.ts');

const STABLE_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7';

describe('Function: handler (build)', () => {
  const ecs = mockClient(ECSClient);

  afterEach(() => {
    ecs.reset();
  });

  it('registers the stable task definition with the pinned image and returns its ARN', async () => {
    // Prepare
    const state = releaseStateFixture({ build: undefined, deploy: undefined, ready: undefined, step: undefined });
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: STABLE_TD }).resolves({
      taskDefinition: {
        taskDefinitionArn: STABLE_TD,
        family: 'web',
        revision: 7,
        status: 'ACTIVE',
        registeredAt: new Date('2025-01-01T00:00:00.000Z'),
        containerDefinitions: [{ name: 'app', image: 'web:latest', essential: true }],
      },
      tags: [],
    });
    ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8' } });

    // Act
    const result = await handler(state, lambdaContextFixture());

    // Assess
    expect(result).toEqual({ taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8' });
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input).toEqual({
      family: 'web',
      containerDefinitions: [{ name: 'app', image: state.release.image.imageUri, essential: true }],
    });
  });
});
