import type { ReleaseContext, ReleaseState } from '../../../lambdas/domain/releaseState.ts';

/** A release of `orders` in `prod` from blue (3 tasks) to green, with overrides merged into the context. */
export function aReleaseState(overrides: Partial<ReleaseContext> = {}, rest: Omit<ReleaseState, 'release'> = {}): ReleaseState {
  const release: ReleaseContext = {
    releaseId: 'rel-1',
    executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:cutover-release:rel-1',
    service: 'orders',
    environment: 'prod',
    image: {
      repository: 'orders',
      digest: `sha256:${'a'.repeat(64)}`,
      imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@sha256:${'a'.repeat(64)}`,
    },
    requestedBy: 'alice',
    startedAt: '2025-01-01T00:00:00.000Z',
    ledgerSortKey: '2025-01-01T00:00:00.000Z#rel-1',
    cluster: 'main',
    containerName: 'app',
    stable: {
      color: 'blue',
      serviceName: 'orders-blue',
      targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-blue/0123456789abcdef',
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:7',
      desiredCount: 3,
    },
    idle: {
      color: 'green',
      serviceName: 'orders-green',
      targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-green/fedcba9876543210',
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:6',
      desiredCount: 0,
    },
    productionListenerRuleArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/0123456789abcdef/0123456789abcdef/0123456789abcdef',
    alarmNames: ['orders-5xx'],
    steps: [{ setWeight: 10 }, { pause: { durationSeconds: 300 } }, { setWeight: 100 }],
    plan: [
      { weight: 10, bakeSeconds: 300, manual: false },
      { weight: 100, bakeSeconds: 300, manual: false },
    ],
    readyTimeoutSeconds: 600,
    maxManualPauseSeconds: 86_400,
    ...overrides,
  };
  return { release, ...rest };
}
