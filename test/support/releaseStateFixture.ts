import type { ReleaseContext, ReleaseState } from '../../lambdas/domain/releaseState.ts';

/** A release of `prod/web` from blue to green with a 10 % (300 s), 50 % (manual) and 100 % (0 s) plan. */
export function releaseContextFixture(overrides: Partial<ReleaseContext> = {}): ReleaseContext {
  const digest = `sha256:${'a'.repeat(64)}`;
  return {
    releaseId: 'rel-1',
    executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:cutover-release:rel-1',
    service: 'web',
    environment: 'prod',
    image: { repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web', digest, imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@${digest}` },
    requestedBy: 'alice',
    startedAt: '2025-01-01T00:00:00.000Z',
    ledgerSortKey: '2025-01-01T00:00:00.000Z#rel-1',
    cluster: 'prod-cluster',
    containerName: 'app',
    stable: {
      color: 'blue',
      serviceName: 'web-blue',
      targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-blue/0123456789abcdef',
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7',
      desiredCount: 3,
    },
    idle: {
      color: 'green',
      serviceName: 'web-green',
      targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-green/fedcba9876543210',
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:6',
      desiredCount: 0,
    },
    productionListenerRuleArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/prod/0123456789abcdef/0123456789abcdef/0123456789abcdef',
    stickiness: { enabled: true, durationSeconds: 60 },
    ruleLayout: { otherActions: [{ Type: 'authenticate-oidc', Order: 1 }], forwardOrder: 2 },
    alarmNames: ['web-5xx', 'web-latency'],
    steps: [{ setWeight: 10 }, { pause: { durationSeconds: 300 } }, { setWeight: 50 }, { pause: {} }, { setWeight: 100 }],
    plan: [
      { weight: 10, bakeSeconds: 300, manual: false },
      { weight: 50, bakeSeconds: 0, manual: true },
      { weight: 100, bakeSeconds: 0, manual: false },
    ],
    readyTimeoutSeconds: 900,
    maxManualPauseSeconds: 86_400,
    ...overrides,
  };
}

/** The state after the first phase was shifted (build, deploy, ready and step present); `overrides` replace top-level keys. */
export function releaseStateFixture(overrides: Partial<ReleaseState> = {}): ReleaseState {
  return {
    release: releaseContextFixture(),
    build: { taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8' },
    deploy: { readyDeadlineAt: '2025-01-01T00:15:00.000Z' },
    ready: { ready: true, detail: '3/3 tasks running, 3/3 targets healthy' },
    step: { index: 0, weight: 10, bakeSeconds: 300, manual: false, timeoutSeconds: 300, last: false, nextIndex: 1 },
    ...overrides,
  };
}
