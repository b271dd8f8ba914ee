import {
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
  RuleNotFoundException,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { LoadBalancerAdapter } from '../../../lambdas/adapters/LoadBalancerAdapter.ts';

const RULE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/0123456789abcdef/0123456789abcdef/0123456789abcdef';
const BLUE_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-blue/0123456789abcdef';
const GREEN_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-green/fedcba9876543210';

describe('Class: LoadBalancerAdapter', () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const adapter = new LoadBalancerAdapter(new ElasticLoadBalancingV2Client({}));

  afterEach(() => {
    elb.reset();
  });

  describe('Method: describeRule', () => {
    it('returns the weights and stickiness of the weighted forward action', async () => {
      // Prepare
      elb.on(DescribeRulesCommand, { RuleArns: [RULE] }).resolves({
        Rules: [
          {
            RuleArn: RULE,
            Actions: [
              {
                Type: 'forward',
                ForwardConfig: {
                  TargetGroups: [
                    { TargetGroupArn: BLUE_TG, Weight: 90 },
                    { TargetGroupArn: GREEN_TG, Weight: 10 },
                  ],
                  TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 120 },
                },
              },
            ],
          },
        ],
      });

      // Act
      const rule = await adapter.describeRule(RULE);

      // Assess
      expect(rule).toEqual({
        ruleArn: RULE,
        targetGroups: [
          { targetGroupArn: BLUE_TG, weight: 90 },
          { targetGroupArn: GREEN_TG, weight: 10 },
        ],
        stickiness: { enabled: true, durationSeconds: 120 },
      });
    });

    it('counts a plain forward to one target group as weight 100', async () => {
      // Prepare
      elb.on(DescribeRulesCommand).resolves({
        Rules: [{ RuleArn: RULE, Actions: [{ Type: 'forward', TargetGroupArn: BLUE_TG, ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE_TG, Weight: 1 }] } }] }],
      });

      // Act
      const rule = await adapter.describeRule(RULE);

      // Assess
      expect(rule).toEqual({ ruleArn: RULE, targetGroups: [{ targetGroupArn: BLUE_TG, weight: 100 }] });
    });

    it('returns no target groups when the rule has no forward action', async () => {
      // Prepare
      elb.on(DescribeRulesCommand).resolves({
        Rules: [{ RuleArn: RULE, Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }] }],
      });

      // Act
      const rule = await adapter.describeRule(RULE);

      // Assess
      expect(rule?.targetGroups).toEqual([]);
    });

    it('reports a default rule as such', async () => {
      // Prepare
      elb.on(DescribeRulesCommand).resolves({
        Rules: [{ RuleArn: RULE, IsDefault: true, Actions: [{ Type: 'forward', TargetGroupArn: BLUE_TG }] }],
      });

      // Act
      const rule = await adapter.describeRule(RULE);

      // Assess
      expect(rule).toMatchObject({ isDefault: true, targetGroups: [{ targetGroupArn: BLUE_TG, weight: 100 }] });
    });

    it('returns undefined when the rule does not exist', async () => {
      // Prepare
      elb.on(DescribeRulesCommand).rejects(new RuleNotFoundException({ message: 'One or more rules not found', $metadata: {} }));

      // Act
      const rule = await adapter.describeRule(RULE);

      // Assess
      expect(rule).toBeUndefined();
    });

    it('lets other errors through', async () => {
      // Prepare
      elb.on(DescribeRulesCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));

      // Act & Assess
      await expect(adapter.describeRule(RULE)).rejects.toThrow('Rate exceeded');
    });
  });

  describe('Method: setForwardWeights', () => {
    it('replaces the actions with one weighted forward in a single ModifyRule', async () => {
      // Prepare
      elb.on(ModifyRuleCommand).resolves({});

      // Act
      await adapter.setForwardWeights(
        RULE,
        [
          { targetGroupArn: BLUE_TG, weight: 50 },
          { targetGroupArn: GREEN_TG, weight: 50 },
        ],
        { enabled: true, durationSeconds: 300 },
      );

      // Assess
      expect(elb).toHaveReceivedCommandTimes(ModifyRuleCommand, 1);
      expect(elb.commandCalls(ModifyRuleCommand)[0]?.args[0].input).toEqual({
        RuleArn: RULE,
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: BLUE_TG, Weight: 50 },
                { TargetGroupArn: GREEN_TG, Weight: 50 },
              ],
              TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
            },
          },
        ],
      });
    });

    it('leaves stickiness out when none is given', async () => {
      // Prepare
      elb.on(ModifyRuleCommand).resolves({});

      // Act
      await adapter.setForwardWeights(RULE, [{ targetGroupArn: BLUE_TG, weight: 100 }, { targetGroupArn: GREEN_TG, weight: 0 }]);

      // Assess
      const forward = elb.commandCalls(ModifyRuleCommand)[0]?.args[0].input.Actions?.[0]?.ForwardConfig;
      expect(forward).not.toHaveProperty('TargetGroupStickinessConfig');
    });
  });

  describe('Method: describeRule and setForwardWeights', () => {
    it('keeps an OIDC authentication action before the forward, with its existing client secret, when the weights change', async () => {
      // Prepare
      const authenticate: Action = {
        Type: 'authenticate-oidc',
        Order: 1,
        AuthenticateOidcConfig: { Issuer: 'https://idp.example.com', AuthorizationEndpoint: 'https://idp.example.com/auth', TokenEndpoint: 'https://idp.example.com/token', UserInfoEndpoint: 'https://idp.example.com/userinfo', ClientId: 'cutover' },
      };
      elb.on(DescribeRulesCommand).resolves({
        Rules: [
          {
            RuleArn: RULE,
            Actions: [
              authenticate,
              { Type: 'forward', Order: 2, ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE_TG, Weight: 100 }, { TargetGroupArn: GREEN_TG, Weight: 0 }] } },
            ],
          },
        ],
      });
      elb.on(ModifyRuleCommand).resolves({});
      const rule = await adapter.describeRule(RULE);

      // Act
      await adapter.setForwardWeights(RULE, [{ targetGroupArn: BLUE_TG, weight: 90 }, { targetGroupArn: GREEN_TG, weight: 10 }], rule?.stickiness, rule?.layout);

      // Assess
      expect(elb).toHaveReceivedCommandTimes(ModifyRuleCommand, 1);
      expect(elb.commandCalls(ModifyRuleCommand)[0]?.args[0].input.Actions).toEqual([
        { ...authenticate, AuthenticateOidcConfig: { ...authenticate.AuthenticateOidcConfig, UseExistingClientSecret: true } },
        { Type: 'forward', Order: 2, ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE_TG, Weight: 90 }, { TargetGroupArn: GREEN_TG, Weight: 10 }] } },
      ]);
    });
  });

  describe('Method: describeTargetHealth', () => {
    it('maps each target with its state and reason', async () => {
      // Prepare
      elb.on(DescribeTargetHealthCommand, { TargetGroupArn: GREEN_TG }).resolves({
        TargetHealthDescriptions: [
          { Target: { Id: '10.0.0.1', Port: 8080 }, TargetHealth: { State: 'healthy' } },
          { Target: { Id: '10.0.0.2', Port: 8080 }, TargetHealth: { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch' } },
        ],
      });

      // Act
      const targets = await adapter.describeTargetHealth(GREEN_TG);

      // Assess
      expect(targets).toEqual([
        { id: '10.0.0.1', port: 8080, state: 'healthy' },
        { id: '10.0.0.2', port: 8080, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch' },
      ]);
    });
  });
});
