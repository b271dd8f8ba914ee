import { describe, expect, it } from 'vitest';
import type { DeploymentView, EcsServiceView, TargetHealthView } from '../../../lambdas/domain/ports.ts';
import { readinessVerdict } from '../../../lambdas/domain/readinessVerdict.ts';

const NEW_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:8';
const OLD_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:6';

function aDeployment(overrides: Partial<DeploymentView> = {}): DeploymentView {
  return {
    id: 'ecs-svc/1',
    status: 'PRIMARY',
    taskDefinition: NEW_TD,
    desiredCount: 3,
    runningCount: 3,
    pendingCount: 0,
    rolloutState: 'COMPLETED',
    ...overrides,
  };
}

function aService(deployments: DeploymentView[], runningCount = 3): EcsServiceView {
  return {
    serviceName: 'orders-green',
    serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/main/orders-green',
    status: 'ACTIVE',
    taskDefinition: NEW_TD,
    desiredCount: 3,
    runningCount,
    pendingCount: 3 - runningCount,
    deployments,
  };
}

const targets = (...states: string[]): TargetHealthView[] => states.map((state, index) => ({ id: `10.0.0.${index}`, port: 8080, state }));

describe('Function: readinessVerdict', () => {
  it('is ready when the deployment completed, every task runs and every target is healthy', () => {
    // Act
    const verdict = readinessVerdict({ service: aService([aDeployment()]), targets: targets('healthy', 'healthy', 'healthy'), taskDefinitionArn: NEW_TD, desiredCount: 3 });

    // Assess
    expect(verdict).toEqual({ ready: true, failed: false, detail: '3/3 tasks running, 3/3 targets healthy' });
  });

  it('ignores draining targets of old tasks', () => {
    // Act
    const verdict = readinessVerdict({
      service: aService([aDeployment()]),
      targets: targets('healthy', 'draining', 'healthy', 'healthy'),
      taskDefinitionArn: NEW_TD,
      desiredCount: 3,
    });

    // Assess
    expect(verdict.ready).toBe(true);
  });

  it('is not ready while targets are still initial, and says how far it got', () => {
    // Act
    const verdict = readinessVerdict({
      service: aService([aDeployment({ rolloutState: 'IN_PROGRESS', runningCount: 2 })], 2),
      targets: targets('healthy', 'initial'),
      taskDefinitionArn: NEW_TD,
      desiredCount: 3,
    });

    // Assess
    expect(verdict.ready).toBe(false);
    expect(verdict.failed).toBe(false);
    expect(verdict.detail).toMatch(/^2\/3 tasks running, 1\/3 targets healthy; deployment IN_PROGRESS; target 10\.0\.0\.1 initial/);
  });

  it('is not ready when an unhealthy target remains beside enough healthy ones', () => {
    // Act
    const verdict = readinessVerdict({
      service: aService([aDeployment()]),
      targets: targets('healthy', 'healthy', 'healthy', 'unhealthy'),
      taskDefinitionArn: NEW_TD,
      desiredCount: 3,
    });

    // Assess
    expect(verdict.ready).toBe(false);
  });

  it('is not ready when the primary deployment runs another task definition', () => {
    // Act
    const verdict = readinessVerdict({
      service: aService([aDeployment({ taskDefinition: OLD_TD })]),
      targets: targets('healthy', 'healthy', 'healthy'),
      taskDefinitionArn: NEW_TD,
      desiredCount: 3,
    });

    // Assess
    expect(verdict.ready).toBe(false);
    expect(verdict.detail).toContain(`primary deployment runs ${OLD_TD}`);
  });

  it('accepts a lone primary at full strength when there is no rollout state', () => {
    // Act
    const verdict = readinessVerdict({
      service: aService([aDeployment({ rolloutState: undefined })]),
      targets: targets('healthy', 'healthy', 'healthy'),
      taskDefinitionArn: NEW_TD,
      desiredCount: 3,
    });

    // Assess
    expect(verdict.ready).toBe(true);
  });

  it('waits for the old deployment to go when there is no rollout state', () => {
    // Act
    const verdict = readinessVerdict({
      service: aService([aDeployment({ rolloutState: undefined }), aDeployment({ id: 'ecs-svc/0', status: 'ACTIVE', taskDefinition: OLD_TD, rolloutState: undefined })]),
      targets: targets('healthy', 'healthy', 'healthy'),
      taskDefinitionArn: NEW_TD,
      desiredCount: 3,
    });

    // Assess
    expect(verdict.ready).toBe(false);
  });

  it('is not ready when fewer tasks run than desired', () => {
    // Act
    const verdict = readinessVerdict({ service: aService([aDeployment()], 2), targets: targets('healthy', 'healthy', 'healthy'), taskDefinitionArn: NEW_TD, desiredCount: 3 });

    // Assess
    expect(verdict.ready).toBe(false);
  });

  it('fails when the primary deployment failed, naming the reason', () => {
    // Act
    const verdict = readinessVerdict({
      service: aService([aDeployment({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' })], 0),
      targets: [],
      taskDefinitionArn: NEW_TD,
      desiredCount: 3,
    });

    // Assess
    expect(verdict.failed).toBe(true);
    expect(verdict.ready).toBe(false);
    expect(verdict.detail).toContain('ECS deployment circuit breaker: tasks failed to start.');
  });

  it('fails when the circuit breaker rolled the release deployment back', () => {
    // Act
    const verdict = readinessVerdict({
      service: aService([
        aDeployment({ id: 'ecs-svc/2', taskDefinition: OLD_TD, rolloutState: 'IN_PROGRESS' }),
        aDeployment({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' }),
      ]),
      targets: [],
      taskDefinitionArn: NEW_TD,
      desiredCount: 3,
    });

    // Assess
    expect(verdict.failed).toBe(true);
  });
});
