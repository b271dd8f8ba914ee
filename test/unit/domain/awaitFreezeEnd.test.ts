import { describe, expect, it } from 'vitest';
import { awaitFreezeEnd } from '../../../lambdas/domain/awaitFreezeEnd.ts';
import type { GateParkingPort, ParkedGate } from '../../../lambdas/domain/ports.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

const NOW = new Date('2025-01-01T10:00:00.000Z');
const policy = { requireApproval: false, waitUntil: '2025-01-01T12:00:00.000Z', waitSeconds: 7200, freezeReason: 'wed 08:00 → wed 12:00 UTC' };

function gatesHolding(held: boolean): GateParkingPort & { readonly parked: unknown[][] } {
  const parked: unknown[][] = [];
  return {
    parked,
    parkAtGate: async (...parkArgs: [string, string, string, ParkedGate]) => {
      parked.push(parkArgs);
      return held;
    },
  };
}

describe('Function: awaitFreezeEnd', () => {
  it('parks the release at the freeze gate on its lock, with the token abort fails and the freeze end', async () => {
    // Prepare
    const gates = gatesHolding(true);
    const state = releaseStateFixture({ step: undefined, policy });

    // Act
    const result = await awaitFreezeEnd({ taskToken: 'freeze-token', timeoutSeconds: 7200, state }, { gates }, NOW);

    // Assess
    const gate = { name: 'freeze', since: '2025-01-01T10:00:00.000Z', until: '2025-01-01T12:00:00.000Z', reason: 'wed 08:00 → wed 12:00 UTC' };
    expect(gates.parked).toEqual([['prod', 'web', state.release.executionArn, { ...gate, taskToken: 'freeze-token' }]]);
    expect(result).toEqual(gate);
  });

  it('throws rather than wait when the release no longer holds the lock', async () => {
    // Prepare
    const state = releaseStateFixture({ step: undefined, policy });

    // Act
    const parking = awaitFreezeEnd({ taskToken: 'freeze-token', state }, { gates: gatesHolding(false) }, NOW);

    // Assess
    await expect(parking).rejects.toThrow('release rel-1 no longer holds the lock of web in prod');
  });
});
