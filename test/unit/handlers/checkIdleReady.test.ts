import { DescribeServicesCommand, ECSClient, type DeploymentRolloutState, type Service } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler } = await import('../../../lambdas/handlers/checkIdleReady.ts');

const NEW_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8';
const GREEN_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-green/fedcba9876543210';
const state = releaseStateFixture({ ready: undefined, step: undefined });

function greenService(runningCount: number, rolloutState: DeploymentRolloutState): Service {
  return {
    serviceName: 'web-green',
    status: 'ACTIVE',
    taskDefinition: NEW_TD,
    desiredCount: 3,
    runningCount,
    pendingCount: 3 - runningCount,
    deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: NEW_TD, desiredCount: 3, runningCount, pendingCount: 3 - runningCount, rolloutState }],
  };
}

describe('Function: handler (checkIdleReady)', () => {
  const ecs = mockClient(ECSClient);
  const elb = mockClient(ElasticLoadBalancingV2Client);

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2025-01-01T00:02:00.000Z'), toFake: ['Date'] });
  });

  afterEach(() => {
    ecs.reset();
    elb.reset();
    vi.useRealTimers();
  });

  it('reports ready when the idle colour runs and every target is healthy', async () => {
    // Prepare
    ecs.on(DescribeServicesCommand, { cluster: 'prod-cluster', services: ['web-green'] }).resolves({ services: [greenService(3, 'COMPLETED')] });
    elb.on(DescribeTargetHealthCommand, { TargetGroupArn: GREEN_TG }).resolves({
      TargetHealthDescriptions: ['a', 'b', 'c'].map((id) => ({ Target: { Id: id, Port: 80 }, TargetHealth: { State: 'healthy' } })),
    });

    // Act
    const result = await handler(state, lambdaContextFixture());

    // Assess
    expect(result).toEqual({ ready: true, detail: '3/3 tasks running, 3/3 targets healthy', waitSeconds: 0 });
  });

  it('asks to wait while the deployment is in progress', async () => {
    // Prepare
    ecs.on(DescribeServicesCommand).resolves({ services: [greenService(1, 'IN_PROGRESS')] });
    elb.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ Target: { Id: 'a' }, TargetHealth: { State: 'initial' } }] });

    // Act
    const result = await handler(state, lambdaContextFixture());

    // Assess
    expect(result).toMatchObject({ ready: false, waitSeconds: 60 });
  });

  it('throws IdleNotReady when the deployment failed', async () => {
    // Prepare
    ecs.on(DescribeServicesCommand).resolves({ services: [greenService(0, 'FAILED')] });
    elb.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [] });

    // Act & Assess
    await expect(handler(state, lambdaContextFixture())).rejects.toThrow(expect.objectContaining({ name: 'IdleNotReady' }));
  });
});
