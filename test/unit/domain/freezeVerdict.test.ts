import { describe, expect, it } from 'vitest';
import { freezeVerdict } from '../../../lambdas/domain/freezeVerdict.ts';

const weekend = { from: { day: 'fri', time: '16:00' }, to: { day: 'mon', time: '06:00' } } as const;

describe('Function: freezeVerdict', () => {
  it('is not frozen outside every window and date', () => {
    expect(freezeVerdict({ windows: [weekend], dates: ['2025-12-25'] }, new Date('2025-06-04T12:00:00Z'))).toEqual({ frozen: false });
  });

  it('ends a window that wraps over Sunday night on Monday morning', () => {
    // Act
    const verdict = freezeVerdict({ windows: [weekend], dates: [] }, new Date('2025-06-07T10:00:00Z'));

    // Assess
    expect(verdict).toEqual({ frozen: true, endsAt: new Date('2025-06-09T06:00:00.000Z'), reason: 'fri 16:00 → mon 06:00 UTC' });
  });

  it('finds the occurrence of a wrapping window that started the week before', () => {
    expect(freezeVerdict({ windows: [weekend], dates: [] }, new Date('2025-06-09T05:59:00Z'))).toMatchObject({ endsAt: new Date('2025-06-09T06:00:00.000Z') });
  });

  it('is not frozen at the very end of a window', () => {
    expect(freezeVerdict({ windows: [weekend], dates: [] }, new Date('2025-06-09T06:00:00Z'))).toEqual({ frozen: false });
  });

  it('chains a window and a frozen date that touch it', () => {
    // Prepare: Friday 2025-12-26 16:00 is inside the weekend window; Monday 2025-12-29 is a frozen date.

    // Act
    const verdict = freezeVerdict({ windows: [weekend], dates: ['2025-12-29'] }, new Date('2025-12-27T09:00:00Z'));

    // Assess
    expect(verdict).toEqual({ frozen: true, endsAt: new Date('2025-12-30T00:00:00.000Z'), reason: 'fri 16:00 → mon 06:00 UTC, 2025-12-29' });
  });

  it('freezes a whole UTC day for a frozen date', () => {
    expect(freezeVerdict({ windows: [], dates: ['2025-12-25'] }, new Date('2025-12-25T23:59:59Z'))).toMatchObject({ endsAt: new Date('2025-12-26T00:00:00.000Z') });
  });
});
