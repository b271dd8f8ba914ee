import type { RehearsalOptions } from '../../sandbox/rehearseRelease.ts';
import type { SandboxReport } from '../../sandbox/sandboxReport.ts';
import { CANARY_STEPS } from './measureReleaseCost.ts';

/** How fast a release went back to its stable colour after a trigger, in one scenario. */
export interface RollbackReaction {
  readonly scenario: 'alarm-during-canary' | 'manual-rollback';
  readonly trigger: string;
  readonly outcome: string;
  /** State transitions from the trigger until the stable colour is at weight 100 (the sandbox's rollbackTransitions). */
  readonly transitions: number | null;
  /** Virtual seconds from the trigger to the ModifyRule that put the stable colour back at 100. */
  readonly seconds: number | null;
  /** Virtual seconds from the failure reaching Step Functions (onAlarm's or the operator's SendTaskFailure) to weight 100. */
  readonly secondsAfterTaskFailure: number | null;
}

/** Rehearses an alarm and an operator abort during the first bake and measures the way back to weight 100. */
export async function measureRollbackReaction(rehearse: (options: RehearsalOptions) => Promise<SandboxReport>, bakeSeconds: number): Promise<RollbackReaction[]> {
  const reactions: RollbackReaction[] = [];
  for (const scenario of ['alarm-during-canary', 'manual-rollback'] as const) {
    const report = await rehearse({ scenario, steps: [...CANARY_STEPS], bakeSeconds, releases: 1 });
    const stable = report.previousColor;
    const trigger = report.timeline.find((entry) => (entry.kind === 'alarm' && entry.label === 'alarm' && entry.text.includes('→ ALARM')) || (entry.kind === 'operator' && entry.text.startsWith('cutover abort')));
    const failure = report.timeline.find((entry) => (entry.kind === 'alarm' && entry.label === 'onAlarm') || (entry.kind === 'operator' && entry.text.startsWith('cutover abort')));
    const restoredAfter = (atMs: number | undefined): number | null => {
      if (atMs === undefined) return null;
      const restored = report.timeline.find((entry) => entry.kind === 'weights' && entry.atMs >= atMs && entry.weights?.[stable] === 100);
      return restored === undefined ? null : (restored.atMs - atMs) / 1000;
    };
    reactions.push({
      scenario,
      trigger: scenario === 'alarm-during-canary' ? 'CloudWatch alarm → ALARM (EventBridge → onAlarm)' : 'operator `cutover abort`',
      outcome: report.outcome,
      transitions: report.rollbackTransitions,
      seconds: restoredAfter(trigger?.atMs),
      secondsAfterTaskFailure: restoredAfter(failure?.atMs),
    });
  }
  return reactions;
}
