import { describe, expect, it } from 'vitest';
import { MAX_CAUSE_LENGTH, describeCause } from '../../../lambdas/domain/describeCause.ts';

describe('Function: describeCause', () => {
  it('reads a Lambda error cause as its type and message', () => {
    // Prepare
    const error = { Error: 'IdleNotReady', Cause: JSON.stringify({ errorType: 'IdleNotReady', errorMessage: 'web-green: 1/3 tasks running', trace: ['at x'] }) };

    // Act
    const cause = describeCause(error);

    // Assess
    expect(cause).toBe('IdleNotReady: web-green: 1/3 tasks running');
  });

  it('reads a task-token failure cause as plain text', () => {
    // Act
    const cause = describeCause({ Error: 'AlarmFired', Cause: 'alarm web-5xx went to ALARM at 2025-01-01T00:05:00Z: threshold crossed' });

    // Assess
    expect(cause).toBe('AlarmFired: alarm web-5xx went to ALARM at 2025-01-01T00:05:00Z: threshold crossed');
  });

  it('reads a cause that looks like JSON but is not as plain text', () => {
    // Act
    const cause = describeCause({ Error: 'ReleaseAborted', Cause: '{broken' });

    // Assess
    expect(cause).toBe('ReleaseAborted: {broken');
  });

  it('describes a manual pause that timed out as a missing promotion', () => {
    // Prepare
    const step = { index: 1, weight: 50, bakeSeconds: 0, manual: true, timeoutSeconds: 3600, last: false, nextIndex: 2 };

    // Act
    const cause = describeCause({ Error: 'States.Timeout', Cause: '' }, step);

    // Assess
    expect(cause).toBe('no promotion within 3600 s at 50 %');
  });

  it('describes a timeout outside a manual pause by its error', () => {
    // Act
    const cause = describeCause({ Error: 'States.Timeout' }, { nextIndex: 0 });

    // Assess
    expect(cause).toBe('States.Timeout');
  });

  it('returns unknown cause without an error', () => {
    // Act
    const cause = describeCause(undefined);

    // Assess
    expect(cause).toBe('unknown cause');
  });

  it('caps the length', () => {
    // Act
    const cause = describeCause({ Error: 'AlarmFired', Cause: 'x'.repeat(5000) });

    // Assess
    expect(cause).toHaveLength(MAX_CAUSE_LENGTH);
    expect(cause.startsWith('AlarmFired: xxx')).toBe(true);
  });
});
