import {
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
  type Action,
  type ForwardActionConfig,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ListenerRuleView, LoadBalancerPort, RuleActionLayout, TargetHealthView, WeightedTargetGroup } from '../domain/ports.ts';

/** Stickiness of a forward action, as the port carries it. */
type Stickiness = { readonly enabled: boolean; readonly durationSeconds?: number };

function forwardTargetGroups(action: Action): WeightedTargetGroup[] {
  const groups = action.ForwardConfig?.TargetGroups ?? [];
  // One target group takes all traffic whatever its weight, exactly like a plain `TargetGroupArn` forward.
  if (groups.length === 1 && groups[0]?.TargetGroupArn !== undefined) return [{ targetGroupArn: groups[0].TargetGroupArn, weight: 100 }];
  if (groups.length > 1) {
    // A missing weight reads as 0, so an unreadable split is reported as unsettled rather than guessed.
    return groups.flatMap((group) => (group.TargetGroupArn === undefined ? [] : [{ targetGroupArn: group.TargetGroupArn, weight: group.Weight ?? 0 }]));
  }
  return action.TargetGroupArn === undefined ? [] : [{ targetGroupArn: action.TargetGroupArn, weight: 100 }];
}

function stickinessOf(config: ForwardActionConfig | undefined): Stickiness | undefined {
  const stickiness = config?.TargetGroupStickinessConfig;
  if (stickiness?.Enabled === undefined) return undefined;
  return { enabled: stickiness.Enabled, ...(stickiness.DurationSeconds === undefined ? {} : { durationSeconds: stickiness.DurationSeconds }) };
}

/**
 * An action as ModifyRule must receive it again. DescribeRules never returns an OIDC client secret, and ModifyRule
 * rejects an `authenticate-oidc` action with neither the secret nor `UseExistingClientSecret`: keep the one configured.
 */
function resendable(action: Action): Action {
  if (action.Type !== 'authenticate-oidc' || action.AuthenticateOidcConfig === undefined) return action;
  const { ClientSecret: _secret, ...config } = action.AuthenticateOidcConfig;
  return { ...action, AuthenticateOidcConfig: { ...config, UseExistingClientSecret: true } };
}

/** {@link LoadBalancerPort} over the Elastic Load Balancing v2 SDK client. */
export class LoadBalancerAdapter implements LoadBalancerPort {
  private readonly client: ElasticLoadBalancingV2Client;

  constructor(client?: ElasticLoadBalancingV2Client) {
    this.client = client ?? new ElasticLoadBalancingV2Client({});
  }

  /** @inheritdoc */
  async describeRule(ruleArn: string): Promise<ListenerRuleView | undefined> {
    let rules;
    try {
      rules = (await this.client.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }))).Rules ?? [];
    } catch (error) {
      if ((error as Error).name === 'RuleNotFoundException') return undefined;
      throw error;
    }
    const rule = rules[0];
    if (rule === undefined) return undefined;
    const actions = rule.Actions ?? [];
    const forward = actions.find((action) => action.Type === 'forward');
    const stickiness = stickinessOf(forward?.ForwardConfig);
    const otherActions = actions.filter((action) => action !== forward) as unknown as Record<string, unknown>[];
    const layout: RuleActionLayout | undefined =
      otherActions.length === 0 ? undefined : { otherActions, ...(forward?.Order === undefined ? {} : { forwardOrder: forward.Order }) };
    return {
      ruleArn: rule.RuleArn ?? ruleArn,
      ...(rule.IsDefault === true ? { isDefault: true } : {}),
      targetGroups: forward === undefined ? [] : forwardTargetGroups(forward),
      ...(stickiness === undefined ? {} : { stickiness }),
      ...(layout === undefined ? {} : { layout }),
    };
  }

  /** @inheritdoc */
  async setForwardWeights(
    ruleArn: string,
    targetGroups: readonly WeightedTargetGroup[],
    stickiness?: Stickiness,
    layout?: RuleActionLayout,
  ): Promise<void> {
    const forwardConfig: ForwardActionConfig = {
      TargetGroups: targetGroups.map((group) => ({ TargetGroupArn: group.targetGroupArn, Weight: group.weight })),
      ...(stickiness === undefined
        ? {}
        : {
            TargetGroupStickinessConfig: {
              Enabled: stickiness.enabled,
              ...(stickiness.durationSeconds === undefined ? {} : { DurationSeconds: stickiness.durationSeconds }),
            },
          }),
    };
    // One ModifyRule replaces the weights of both colours atomically: no moment sends traffic to neither.
    // ModifyRule replaces every action: authentication actions before the forward must be sent again, in order.
    const forward: Action = { Type: 'forward', ForwardConfig: forwardConfig, ...(layout?.forwardOrder === undefined ? {} : { Order: layout.forwardOrder }) };
    const actions: Action[] = [...((layout?.otherActions ?? []) as unknown as Action[]).map(resendable), forward];
    await this.client.send(new ModifyRuleCommand({ RuleArn: ruleArn, Actions: actions }));
  }

  /** @inheritdoc */
  async describeTargetHealth(targetGroupArn: string): Promise<readonly TargetHealthView[]> {
    const output = await this.client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    return (output.TargetHealthDescriptions ?? []).map((description) => ({
      id: description.Target?.Id ?? '',
      ...(description.Target?.Port === undefined ? {} : { port: description.Target.Port }),
      state: description.TargetHealth?.State ?? 'unavailable',
      ...(description.TargetHealth?.Reason === undefined ? {} : { reason: description.TargetHealth.Reason }),
    }));
  }
}
