import { InvalidServiceConfig, TrafficNotSettled } from './errors.ts';
import type { ListenerRuleView } from './ports.ts';
import { Color, type ColorValue } from './releaseState.ts';

/**
 * The colour that takes all production traffic on the rule. Throws {@link InvalidServiceConfig} (naming
 * `productionListenerRuleArn`) when the forward action references anything but the blue and green target groups,
 * or when it is a listener's default rule (which ModifyRule cannot change, so no weight could ever move), and
 * {@link TrafficNotSettled} when traffic is split, e.g. after an interrupted release.
 */
export function liveColorFromRule(rule: ListenerRuleView, blueTargetGroupArn: string, greenTargetGroupArn: string): ColorValue {
  if (rule.isDefault === true) {
    throw new InvalidServiceConfig(
      `productionListenerRuleArn: ${rule.ruleArn} is the listener's default rule, which ModifyRule cannot change; add a rule (e.g. path /*) that forwards to both colours and name it instead`,
    );
  }
  const colorOf = new Map<string, ColorValue>([
    [blueTargetGroupArn, Color.Blue],
    [greenTargetGroupArn, Color.Green],
  ]);
  const arns = rule.targetGroups.map((group) => group.targetGroupArn);
  const unknown = arns.filter((arn) => !colorOf.has(arn));
  if (arns.length === 0 || unknown.length > 0 || new Set(arns).size !== arns.length) {
    const found = arns.length === 0 ? 'no forward action' : `forward to ${arns.join(', ')}`;
    throw new InvalidServiceConfig(
      `productionListenerRuleArn: rule ${rule.ruleArn} must forward to the blue and green target groups only (${blueTargetGroupArn}, ${greenTargetGroupArn}), found ${found}`,
    );
  }
  // ALB weights are relative: a colour takes all traffic when it is the only one with a weight above 0.
  const weighted = rule.targetGroups.filter((group) => group.weight > 0);
  const only = weighted.length === 1 ? weighted[0] : undefined;
  if (only === undefined) {
    const split = rule.targetGroups.map((group) => `${colorOf.get(group.targetGroupArn)} ${group.weight}`).join(', ');
    throw new TrafficNotSettled(`rule ${rule.ruleArn} splits traffic (${split}); set one colour to 100 before releasing`);
  }
  return colorOf.get(only.targetGroupArn) as ColorValue;
}
