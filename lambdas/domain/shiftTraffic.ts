import { ReleaseError } from './errors.ts';
import type { LoadBalancerPort } from './ports.ts';
import type { ReleaseState, StepState } from './releaseState.ts';
import { stepStateFor } from './stepStateFor.ts';
import { trafficWeights } from './trafficWeights.ts';

/**
 * The ShiftTraffic state: applies the weight of the phase at `$.step.nextIndex` to the production rule with one
 * atomic ModifyRule (stickiness and the rule's other actions kept), and reports that phase as the new `$.step`.
 * A phase at the weight of the phase before it (a manual pause after a timed bake, the warm period after a promote at
 * 100 %) changes nothing, so it sends nothing.
 */
export async function shiftTraffic(state: ReleaseState, ports: { readonly loadBalancer: LoadBalancerPort }): Promise<StepState> {
  const { release } = state;
  if (state.step === undefined) throw new ReleaseError('ShiftTraffic needs $.step.nextIndex, which StartShifting writes; the state machine ran it too early');
  const step = stepStateFor(release, state.step.nextIndex);
  if (step.index > 0 && release.plan[step.index - 1]?.weight === step.weight) return step;
  await ports.loadBalancer.setForwardWeights(release.productionListenerRuleArn, trafficWeights(release, step.weight), release.stickiness, release.ruleLayout);
  return step;
}
