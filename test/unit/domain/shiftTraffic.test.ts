import { describe, expect, it } from 'vitest';
import { shiftTraffic } from '../../../lambdas/domain/shiftTraffic.ts';
import { CallLog, FakeLoadBalancer } from '../../support/fakePorts.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

describe('Function: shiftTraffic', () => {
  it('applies the next phase weight in one call, keeping stickiness and the other rule actions, and reports the phase', async () => {
    // Prepare
    const log = new CallLog();
    const state = releaseStateFixture();

    // Act
    const step = await shiftTraffic(state, { loadBalancer: new FakeLoadBalancer(log) });

    // Assess
    expect(step).toEqual({ index: 1, weight: 50, bakeSeconds: 0, manual: true, timeoutSeconds: 86_400, last: false, nextIndex: 2 });
    expect(log.calls).toEqual([
      {
        name: 'loadBalancer.setForwardWeights',
        args: [
          state.release.productionListenerRuleArn,
          [
            { targetGroupArn: state.release.stable.targetGroupArn, weight: 50 },
            { targetGroupArn: state.release.idle.targetGroupArn, weight: 50 },
          ],
          { enabled: true, durationSeconds: 60 },
          { otherActions: [{ Type: 'authenticate-oidc', Order: 1 }], forwardOrder: 2 },
        ],
      },
    ]);
  });

  it('starts from the first phase after StartShifting', async () => {
    // Prepare
    const log = new CallLog();

    // Act
    const step = await shiftTraffic(releaseStateFixture({ step: { nextIndex: 0 } }), { loadBalancer: new FakeLoadBalancer(log) });

    // Assess
    expect(step.index).toBe(0);
    expect(log.argsOf('loadBalancer.setForwardWeights')[0]?.[1]).toEqual([
      expect.objectContaining({ weight: 90 }),
      expect.objectContaining({ weight: 10 }),
    ]);
  });

  it('throws without changing weights when the next index is past the plan', async () => {
    // Prepare
    const log = new CallLog();

    // Act & Assess
    await expect(shiftTraffic(releaseStateFixture({ step: { nextIndex: 3 } }), { loadBalancer: new FakeLoadBalancer(log) })).rejects.toThrow(
      'outside the plan',
    );
    expect(log.calls).toEqual([]);
  });

  it('throws a ReleaseError without a step', async () => {
    // Act & Assess
    await expect(shiftTraffic(releaseStateFixture({ step: undefined }), { loadBalancer: new FakeLoadBalancer() })).rejects.toMatchObject({
      name: 'ReleaseError',
    });
  });

  it('sends nothing for a phase at the same weight as the phase before it', async () => {
    // Prepare
    const log = new CallLog();
    const base = releaseStateFixture();
    const plan = [
      { weight: 10, bakeSeconds: 300, manual: false },
      { weight: 10, bakeSeconds: 0, manual: true },
      { weight: 100, bakeSeconds: 0, manual: false },
    ];
    const state = { ...base, release: { ...base.release, plan }, step: { nextIndex: 1 } };

    // Act
    const step = await shiftTraffic(state, { loadBalancer: new FakeLoadBalancer(log) });

    // Assess
    expect(step).toMatchObject({ index: 1, weight: 10, manual: true });
    expect(log.calls).toEqual([]);
  });
});
