import { describe, expect, it } from 'vitest';
import type { ListenerRuleView, LoadBalancerPort } from '../../../lambdas/domain/ports.ts';
import { pointTestListener } from '../../../lambdas/domain/pointTestListener.ts';
import { releaseContextFixture, releaseStateFixture } from '../../support/releaseStateFixture.ts';

const TEST_RULE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/prod/0123456789abcdef/0123456789abcdef/fedcba9876543210';

function loadBalancerWith(rule: ListenerRuleView | undefined): LoadBalancerPort & { set: unknown[][] } {
  const set: unknown[][] = [];
  return {
    set,
    describeRule: async () => rule,
    setForwardWeights: async (...args) => {
      set.push(args);
    },
    describeTargetHealth: async () => [],
  };
}

describe('Function: pointTestListener', () => {
  const release = releaseContextFixture({ testListenerRuleArn: TEST_RULE });
  const state = releaseStateFixture({ release, step: undefined });

  it('forwards the test rule to the idle colour only, keeping its other actions, and reports where it pointed', async () => {
    // Prepare
    const layout = { otherActions: [{ Type: 'authenticate-cognito', Order: 1 }], forwardOrder: 2 };
    const loadBalancer = loadBalancerWith({ ruleArn: TEST_RULE, targetGroups: [{ targetGroupArn: release.stable.targetGroupArn, weight: 100 }], layout });

    // Act
    const result = await pointTestListener(state, { loadBalancer });

    // Assess
    expect(loadBalancer.set).toEqual([[TEST_RULE, [{ targetGroupArn: release.idle.targetGroupArn, weight: 100 }], undefined, layout]]);
    expect(result).toEqual({ ruleArn: TEST_RULE, previousTargetGroups: [{ targetGroupArn: release.stable.targetGroupArn, weight: 100 }], layout });
  });

  it('reports the stable colour as previous when a retry finds the rule already on the idle colour', async () => {
    // Prepare
    const loadBalancer = loadBalancerWith({ ruleArn: TEST_RULE, targetGroups: [{ targetGroupArn: release.idle.targetGroupArn, weight: 100 }] });

    // Act
    const result = await pointTestListener(state, { loadBalancer });

    // Assess
    expect(result.previousTargetGroups).toEqual([{ targetGroupArn: release.stable.targetGroupArn, weight: 100 }]);
  });

  it('throws InvalidServiceConfig when the test rule does not exist', async () => {
    // Act & Assess
    await expect(pointTestListener(state, { loadBalancer: loadBalancerWith(undefined) })).rejects.toMatchObject({
      name: 'InvalidServiceConfig',
      message: `testListenerRuleArn: rule ${TEST_RULE} does not exist`,
    });
  });
});
