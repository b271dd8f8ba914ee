import { MUTATING_OPERATIONS } from './account/CallLog.ts';
import type { SimulatedAccount } from './account/SimulatedAccount.ts';
import type { ExampleService } from './account/seedExampleService.ts';
import type { LocalRunResult } from './localRunner.ts';

/** A colour of the blue-green pair. */
type Color = 'blue' | 'green';

/** One broken invariant, with when and after what it was seen. */
export interface InvariantViolation {
  /** 1: weights sum to 100 and never reach a target group without a healthy target; 2: the stable colour is never scaled down before promotion; 3: after a release the lock is free and the ledger holds exactly one record with its outcome; 4: a rollback restores the live colour, its task definition, weights and desired count. */
  readonly invariant: 1 | 2 | 3 | 4;
  readonly service: string;
  /** Virtual time (ISO 8601). */
  readonly at: string;
  /** The call after which it was seen (`ELBv2 ModifyRule`), or `end of release`. */
  readonly after: string;
  readonly message: string;
}

/** What a service looked like before its release. */
interface Baseline {
  readonly liveColor: Color;
  readonly weights: Readonly<Record<Color, number>>;
  readonly stableTaskDefinition: string;
  readonly stableDesiredCount: number;
}

interface Monitored {
  readonly example: ExampleService;
  readonly baseline: Baseline;
  promoted: boolean;
}

/**
 * Watches the invariants of cutover releases in a simulated account: 1 and 2 after every mutation the account applies,
 * 3 and 4 when a release ends. Violations are collected, never thrown, so that a rehearsal reports all of them.
 */
export class InvariantMonitor {
  /** Every violation seen, in order (each distinct one once). */
  readonly violations: InvariantViolation[] = [];
  private readonly monitored = new Map<string, Monitored>();
  private readonly seen = new Set<string>();
  private readonly byExecution = new Map<string, string>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly account: SimulatedAccount) {}

  /**
   * Starts watching a seeded service released by the execution `executionArn`: the service's state now is the baseline
   * its release must preserve or restore.
   */
  track(example: ExampleService, executionArn: string): void {
    this.byExecution.set(executionArn, example.service);
    const weights = this.weightsOf(example);
    const liveColor: Color = weights.blue >= weights.green ? 'blue' : 'green';
    const stable = this.account.ecs.describe(example[liveColor].serviceName);
    this.monitored.set(example.service, {
      example,
      baseline: { liveColor, weights, stableTaskDefinition: String(stable.taskDefinition), stableDesiredCount: Number(stable.desiredCount) },
      promoted: false,
    });
  }

  /** Checks invariants 1 and 2 after every successful mutating call, from now until {@link stop}. */
  start(): void {
    this.unsubscribe ??= this.account.onCall((call) => {
      // Finalize runs only once the last bake passed: its calls are the promoted release's.
      const service = call.origin?.executionArn === undefined ? undefined : this.byExecution.get(call.origin.executionArn);
      if (service !== undefined && call.origin?.stateName === 'Finalize') this.markPromoted(service);
      if (call.error === undefined && MUTATING_OPERATIONS.has(call.operation)) this.checkContinuous(`${call.service} ${call.operation}`);
    });
  }

  /** Stops watching calls. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** The service's release was promoted (it reached Finalize): from now on its old colour may be scaled down. */
  markPromoted(service: string): void {
    const monitored = this.monitored.get(service);
    if (monitored !== undefined) monitored.promoted = true;
  }

  /** The baseline live colour of a tracked service. */
  baselineColor(service: string): Color {
    const monitored = this.monitored.get(service);
    if (monitored === undefined) throw new Error(`service ${service} is not tracked`);
    return monitored.baseline.liveColor;
  }

  /** Checks invariants 1 and 2 now, for every tracked service. */
  checkContinuous(after: string): void {
    for (const monitored of this.monitored.values()) {
      this.checkWeights(monitored, after);
      this.checkStableCapacity(monitored, after);
    }
  }

  /** Checks invariants 3 and 4 for a release that ended with `result`. */
  checkEnded(service: string, result: LocalRunResult): void {
    const monitored = this.monitored.get(service);
    if (monitored === undefined) throw new Error(`service ${service} is not tracked`);
    const { example, baseline } = monitored;
    const after = 'end of release';
    const table = this.account.tableName;
    const lock = this.account.dynamodb.documents(table, `LOCK#${example.environment}#${example.service}`);
    if (lock.length > 0) this.report(3, service, after, `the lock is still held after the release ended (by ${String(lock[0]?.releaseId)})`);
    const ledger = this.account.dynamodb.documents(table, `RELEASE#${example.environment}#${example.service}`).filter((record) => record.executionArn === result.executionArn);
    const rejectedInPrepare = !result.events.some((event) => event.type === 'StateExited' && event.stateName === 'Prepare');
    if (rejectedInPrepare) {
      if (ledger.length > 0) this.report(3, service, after, 'a release rejected in Prepare left a ledger record');
    } else {
      const expected = result.status === 'SUCCEEDED' ? 'Succeeded' : result.error === 'ReleaseRolledBack' ? 'RolledBack' : 'Failed';
      if (ledger.length !== 1) this.report(3, service, after, `the ledger holds ${ledger.length} records of the release, not exactly one`);
      else if (ledger[0]?.outcome !== expected) this.report(3, service, after, `the ledger records outcome ${String(ledger[0]?.outcome)} for a release that ended ${expected}`);
    }
    if (result.error !== 'ReleaseRolledBack') return;
    const weights = this.weightsOf(example);
    const liveColor: Color = weights.blue >= weights.green ? 'blue' : 'green';
    if (liveColor !== baseline.liveColor) this.report(4, service, after, `after the rollback ${liveColor} is live, not ${baseline.liveColor}`);
    if (weights.blue !== baseline.weights.blue || weights.green !== baseline.weights.green) {
      this.report(4, service, after, `after the rollback the weights are blue ${weights.blue} / green ${weights.green}, not blue ${baseline.weights.blue} / green ${baseline.weights.green}`);
    }
    const stable = this.account.ecs.describe(example[baseline.liveColor].serviceName);
    if (stable.taskDefinition !== baseline.stableTaskDefinition) {
      this.report(4, service, after, `after the rollback ${baseline.liveColor} runs ${String(stable.taskDefinition)}, not ${baseline.stableTaskDefinition}`);
    }
    if (stable.desiredCount !== baseline.stableDesiredCount) {
      this.report(4, service, after, `after the rollback ${baseline.liveColor} wants ${String(stable.desiredCount)} tasks, not ${baseline.stableDesiredCount}`);
    }
  }

  private checkWeights(monitored: Monitored, after: string): void {
    const { example } = monitored;
    const groups = this.account.elbv2.weights(example.productionListenerRuleArn);
    const sum = groups.reduce((total, group) => total + group.weight, 0);
    if (sum !== 100) this.report(1, example.service, after, `the production rule's weights sum to ${sum}, not 100`);
    for (const group of groups) {
      if (group.weight === 0) continue;
      const healthy = this.healthyTargets(group.targetGroupArn);
      if (healthy === 0) this.report(1, example.service, after, `${group.weight} % of traffic goes to ${group.targetGroupArn}, which has no healthy target`);
    }
  }

  private checkStableCapacity(monitored: Monitored, after: string): void {
    if (monitored.promoted) return;
    const { example, baseline } = monitored;
    const stable = this.account.ecs.describe(example[baseline.liveColor].serviceName);
    const desired = Number(stable.desiredCount);
    if (desired < baseline.stableDesiredCount) {
      this.report(2, example.service, after, `the stable colour ${baseline.liveColor} was scaled to ${desired} tasks (from ${baseline.stableDesiredCount}) before the release was promoted`);
    }
  }

  private healthyTargets(targetGroupArn: string): number {
    const operation = this.account.elbv2.operations.DescribeTargetHealth;
    if (operation === undefined) throw new Error('the simulated ELBv2 has no DescribeTargetHealth');
    const output = operation({ TargetGroupArn: targetGroupArn }) as { TargetHealthDescriptions: { TargetHealth: { State: string } }[] };
    return output.TargetHealthDescriptions.filter((description) => description.TargetHealth.State === 'healthy').length;
  }

  private weightsOf(example: ExampleService): Record<Color, number> {
    const groups = this.account.elbv2.weights(example.productionListenerRuleArn);
    const weightOf = (targetGroupArn: string): number => groups.find((group) => group.targetGroupArn === targetGroupArn)?.weight ?? 0;
    return { blue: weightOf(example.blue.targetGroupArn), green: weightOf(example.green.targetGroupArn) };
  }

  private report(invariant: InvariantViolation['invariant'], service: string, after: string, message: string): void {
    const key = `${invariant}\u0000${service}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.violations.push({ invariant, service, at: new Date().toISOString(), after, message });
  }
}
