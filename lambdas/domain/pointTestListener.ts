import { InvalidServiceConfig, ReleaseError } from './errors.ts';
import type { LoadBalancerPort } from './ports.ts';
import type { ReleaseState, TestListenerState } from './releaseState.ts';

/**
 * The PointTestListener state: forwards the test listener rule to the idle colour's target group only, keeping the
 * rule's stickiness and other actions, and reports where it pointed before so that a failed gate can point it back.
 * A retry that finds the rule already on the idle colour reports the stable colour as the previous target: between
 * releases the test listener follows the live colour.
 */
export async function pointTestListener(state: ReleaseState, ports: { readonly loadBalancer: LoadBalancerPort }): Promise<TestListenerState> {
  const { release } = state;
  const ruleArn = release.testListenerRuleArn;
  if (ruleArn === undefined) throw new ReleaseError('PointTestListener ran without testListenerRuleArn; the state machine\'s Choice should have skipped it');
  const rule = await ports.loadBalancer.describeRule(ruleArn);
  if (rule === undefined) throw new InvalidServiceConfig(`testListenerRuleArn: rule ${ruleArn} does not exist`);
  if (rule.isDefault === true) throw new InvalidServiceConfig(`testListenerRuleArn: rule ${ruleArn} is a listener's default rule, which ModifyRule cannot change`);
  const onIdleOnly = rule.targetGroups.length === 1 && rule.targetGroups[0]?.targetGroupArn === release.idle.targetGroupArn;
  const previousTargetGroups = onIdleOnly ? [{ targetGroupArn: release.stable.targetGroupArn, weight: 100 }] : rule.targetGroups;
  await ports.loadBalancer.setForwardWeights(ruleArn, [{ targetGroupArn: release.idle.targetGroupArn, weight: 100 }], rule.stickiness, rule.layout);
  return {
    ruleArn,
    previousTargetGroups: previousTargetGroups.map((group) => ({ targetGroupArn: group.targetGroupArn, weight: group.weight })),
    ...(rule.stickiness === undefined ? {} : { stickiness: rule.stickiness }),
    ...(rule.layout === undefined ? {} : { layout: rule.layout }),
  };
}
