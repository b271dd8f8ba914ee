import { awsError } from './awsError.ts';
import type { SimulatedEcs } from './SimulatedEcs.ts';

/** One weighted target group of a forward action. */
export interface RuleWeight {
  readonly targetGroupArn: string;
  readonly weight: number;
}

/** One ModifyRule the account applied: the weights after it, and when. */
export interface RuleChange {
  readonly ruleArn: string;
  /** Virtual time (epoch milliseconds). */
  readonly at: number;
  readonly weights: readonly RuleWeight[];
}

interface SimulatedRule {
  readonly ruleArn: string;
  readonly priority: string;
  readonly conditions: readonly Record<string, unknown>[];
  actions: Record<string, unknown>[];
}

/**
 * Elastic Load Balancing v2 of the simulated account: listener rules with weighted forward actions and target groups
 * whose targets are the running tasks of the ECS services attached to them.
 */
export class SimulatedElbv2 {
  private readonly rules = new Map<string, SimulatedRule>();
  private readonly targetGroups = new Set<string>();
  private readonly neverHealthy = new Set<string>();
  private readonly changes: RuleChange[] = [];

  constructor(private readonly ecs: SimulatedEcs) {}

  /** The operations this service answers, by name. */
  readonly operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeRules: (input) => this.describeRules(input),
    ModifyRule: (input) => this.modifyRule(input),
    DescribeTargetHealth: (input) => this.describeTargetHealth(input),
  };

  /** Creates a target group. */
  seedTargetGroup(targetGroupArn: string): void {
    this.targetGroups.add(targetGroupArn);
  }

  /** Creates a listener rule with one weighted forward action. */
  seedForwardRule(ruleArn: string, weights: readonly RuleWeight[], priority = '10'): void {
    this.rules.set(ruleArn, {
      ruleArn,
      priority,
      conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['app.example.com'] }, Values: ['app.example.com'] }],
      actions: [forwardAction(weights, { Enabled: false })],
    });
  }

  /** Makes the targets of a target group fail their health checks (undefined state: they pass again). */
  injectNeverHealthy(targetGroupArn: string, on = true): void {
    if (on) this.neverHealthy.add(targetGroupArn);
    else this.neverHealthy.delete(targetGroupArn);
  }

  /** The weights of a rule's forward action now. */
  weights(ruleArn: string): readonly RuleWeight[] {
    const rule = this.rules.get(ruleArn);
    if (rule === undefined) throw new Error(`no simulated listener rule ${ruleArn}`);
    return weightsOf(rule.actions);
  }

  /** Every ModifyRule applied, in order. */
  ruleChanges(ruleArn?: string): readonly RuleChange[] {
    return ruleArn === undefined ? [...this.changes] : this.changes.filter((change) => change.ruleArn === ruleArn);
  }

  /** Removes everything. */
  reset(): void {
    this.rules.clear();
    this.targetGroups.clear();
    this.neverHealthy.clear();
    this.changes.length = 0;
  }

  private describeRules(input: Record<string, unknown>): unknown {
    const ruleArns = Array.isArray(input.RuleArns) ? (input.RuleArns as string[]) : [];
    const rules = ruleArns.map((ruleArn) => {
      const rule = this.rules.get(ruleArn);
      if (rule === undefined) throw awsError('elbv2', 'RuleNotFoundException', 'One or more rules not found');
      return ruleView(rule);
    });
    return { Rules: rules };
  }

  private modifyRule(input: Record<string, unknown>): unknown {
    const ruleArn = String(input.RuleArn);
    const rule = this.rules.get(ruleArn);
    if (rule === undefined) throw awsError('elbv2', 'RuleNotFoundException', 'One or more rules not found');
    if (input.Actions !== undefined) {
      const actions = input.Actions as Record<string, unknown>[];
      if (!Array.isArray(actions) || actions.length === 0) throw awsError('elbv2', 'ValidationError', 'Actions must contain at least one action');
      const normalized = actions.map((action, index) => this.validatedAction(action, index));
      rule.actions = normalized;
      this.changes.push({ ruleArn, at: Date.now(), weights: weightsOf(normalized) });
    }
    return { Rules: [ruleView(rule)] };
  }

  private validatedAction(action: Record<string, unknown>, index: number): Record<string, unknown> {
    if (action.Type !== 'forward') throw awsError('elbv2', 'ValidationError', `the simulation supports forward actions only, got ${String(action.Type)}`);
    const config = action.ForwardConfig as Record<string, unknown> | undefined;
    const groups: RuleWeight[] = [];
    if (config !== undefined && Array.isArray(config.TargetGroups)) {
      for (const group of config.TargetGroups as Record<string, unknown>[]) {
        const weight = group.Weight ?? 1;
        if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 999) {
          throw awsError('elbv2', 'ValidationError', `1 validation error detected: Value '${String(weight)}' at 'actions.${index + 1}.forwardConfig.targetGroups.weight' failed to satisfy constraint: Member must have value between 0 and 999`);
        }
        groups.push({ targetGroupArn: String(group.TargetGroupArn), weight });
      }
    } else if (typeof action.TargetGroupArn === 'string') {
      groups.push({ targetGroupArn: action.TargetGroupArn, weight: 1 });
    }
    if (groups.length === 0) throw awsError('elbv2', 'ValidationError', 'A forward action must specify a target group');
    if (new Set(groups.map((group) => group.targetGroupArn)).size !== groups.length) {
      throw awsError('elbv2', 'ValidationError', 'A target group cannot be specified more than once in a forward action');
    }
    for (const group of groups) {
      if (!this.targetGroups.has(group.targetGroupArn)) throw awsError('elbv2', 'TargetGroupNotFoundException', `Target groups '${group.targetGroupArn}' not found`);
    }
    const stickiness = (config?.TargetGroupStickinessConfig as Record<string, unknown> | undefined) ?? { Enabled: false };
    return forwardAction(groups, stickiness);
  }

  private describeTargetHealth(input: Record<string, unknown>): unknown {
    const targetGroupArn = String(input.TargetGroupArn);
    if (!this.targetGroups.has(targetGroupArn)) throw awsError('elbv2', 'TargetGroupNotFoundException', `Target groups '${targetGroupArn}' not found`);
    const now = Date.now();
    const healthyAfter = this.ecs.healthCheckSeconds * 1000;
    const failing = this.neverHealthy.has(targetGroupArn);
    return {
      TargetHealthDescriptions: this.ecs.runningTasksBehind(targetGroupArn).map((task) => {
        const settled = now - task.startsAt >= healthyAfter;
        const health = !settled
          ? { State: 'initial', Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' }
          : failing
            ? { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [503]' }
            : { State: 'healthy' };
        return { Target: { Id: task.ip, Port: task.port, AvailabilityZone: 'all' }, HealthCheckPort: String(task.port), TargetHealth: health };
      }),
    };
  }
}

function forwardAction(groups: readonly RuleWeight[], stickiness: Record<string, unknown>): Record<string, unknown> {
  return {
    Type: 'forward',
    Order: 1,
    ForwardConfig: {
      TargetGroups: groups.map((group) => ({ TargetGroupArn: group.targetGroupArn, Weight: group.weight })),
      TargetGroupStickinessConfig: stickiness,
    },
    // ALB reports TargetGroupArn on the action only when it forwards to a single target group.
    ...(groups.length === 1 && groups[0] !== undefined ? { TargetGroupArn: groups[0].targetGroupArn } : {}),
  };
}

function weightsOf(actions: readonly Record<string, unknown>[]): RuleWeight[] {
  const forward = actions.find((action) => action.Type === 'forward');
  const config = forward?.ForwardConfig as { TargetGroups?: { TargetGroupArn: string; Weight: number }[] } | undefined;
  return (config?.TargetGroups ?? []).map((group) => ({ targetGroupArn: group.TargetGroupArn, weight: group.Weight }));
}

function ruleView(rule: SimulatedRule): Record<string, unknown> {
  return { RuleArn: rule.ruleArn, Priority: rule.priority, Conditions: rule.conditions, Actions: rule.actions, IsDefault: false };
}
