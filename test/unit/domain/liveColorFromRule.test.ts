import { describe, expect, it } from 'vitest';
import { InvalidServiceConfig, TrafficNotSettled } from '../../../lambdas/domain/errors.ts';
import { liveColorFromRule } from '../../../lambdas/domain/liveColorFromRule.ts';
import type { WeightedTargetGroup } from '../../../lambdas/domain/ports.ts';

const BLUE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/0123456789abcdef';
const GREEN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/0123456789abcdef';
const OTHER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/other/0123456789abcdef';

const rule = (targetGroups: WeightedTargetGroup[]) => ({ ruleArn: 'rule-arn', targetGroups });

describe('Function: liveColorFromRule', () => {
  it('returns blue when blue has weight 100 and green 0', () => {
    // Act
    const color = liveColorFromRule(rule([{ targetGroupArn: BLUE, weight: 100 }, { targetGroupArn: GREEN, weight: 0 }]), BLUE, GREEN);

    // Assess
    expect(color).toBe('blue');
  });

  it('returns green when green has weight 100, whatever the order', () => {
    // Act
    const color = liveColorFromRule(rule([{ targetGroupArn: GREEN, weight: 100 }, { targetGroupArn: BLUE, weight: 0 }]), BLUE, GREEN);

    // Assess
    expect(color).toBe('green');
  });

  it('accepts a plain forward to one colour', () => {
    // Act
    const color = liveColorFromRule(rule([{ targetGroupArn: GREEN, weight: 100 }]), BLUE, GREEN);

    // Assess
    expect(color).toBe('green');
  });

  it('throws TrafficNotSettled when traffic is split', () => {
    // Act & Assess
    expect(() => liveColorFromRule(rule([{ targetGroupArn: BLUE, weight: 90 }, { targetGroupArn: GREEN, weight: 10 }]), BLUE, GREEN)).toThrow(
      TrafficNotSettled,
    );
  });

  it('throws TrafficNotSettled when no colour has weight', () => {
    // Act & Assess
    expect(() => liveColorFromRule(rule([{ targetGroupArn: BLUE, weight: 0 }, { targetGroupArn: GREEN, weight: 0 }]), BLUE, GREEN)).toThrow(
      TrafficNotSettled,
    );
  });

  it('throws InvalidServiceConfig naming productionListenerRuleArn when the rule forwards to another target group', () => {
    // Act & Assess
    expect(() => liveColorFromRule(rule([{ targetGroupArn: BLUE, weight: 100 }, { targetGroupArn: OTHER, weight: 0 }]), BLUE, GREEN)).toThrow(
      expect.objectContaining({ name: 'InvalidServiceConfig', message: expect.stringMatching(/^productionListenerRuleArn: .*other/) }),
    );
  });

  it('throws InvalidServiceConfig when the rule has no forward action', () => {
    // Act & Assess
    expect(() => liveColorFromRule(rule([]), BLUE, GREEN)).toThrow(InvalidServiceConfig);
  });

  it('throws InvalidServiceConfig naming productionListenerRuleArn for a default rule, which ModifyRule cannot change', () => {
    // Act
    const act = () => liveColorFromRule({ ...rule([{ targetGroupArn: BLUE, weight: 100 }]), isDefault: true }, BLUE, GREEN);

    // Assess
    expect(act).toThrow(InvalidServiceConfig);
    expect(act).toThrow("productionListenerRuleArn: rule-arn is the listener's default rule");
  });
});
