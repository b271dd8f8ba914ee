import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler } = await import('../../../lambdas/handlers/deployIdle.ts');

describe('Function: handler (deployIdle)', () => {
  const ecs = mockClient(ECSClient);

  afterEach(() => {
    ecs.reset();
    vi.useRealTimers();
  });

  it('deploys the new task definition to the idle service and returns the ready deadline', async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00.000Z'), toFake: ['Date'] });
    const state = releaseStateFixture({ deploy: undefined, ready: undefined, step: undefined });
    ecs.on(UpdateServiceCommand).resolves({});

    // Act
    const result = await handler(state, lambdaContextFixture());

    // Assess
    expect(result).toEqual({ readyDeadlineAt: '2025-01-01T00:15:00.000Z' });
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: 'prod-cluster',
      service: 'web-green',
      taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8',
      desiredCount: 3,
    });
  });
});
