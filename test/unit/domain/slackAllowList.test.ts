import { describe, expect, it } from 'vitest';
import { isSlackActionAllowed, NOBODY_ALLOWED, parseSlackAllowList } from '../../../lambdas/domain/slackAllowList.ts';

describe('Function: parseSlackAllowList', () => {
  it('reads users and channels', () => {
    // Act
    const parsed = parseSlackAllowList('{"users":["U0123ABCD"],"channels":["C0123ABCD"]}');

    // Assess
    expect(parsed).toEqual({ allowList: { users: ['U0123ABCD'], channels: ['C0123ABCD'] } });
  });

  it.each([
    ['a missing parameter', undefined],
    ['text that is not JSON', 'users: U1'],
    ['an unknown field', '{"users":["U0123ABCD"],"admins":["U1"]}'],
    ['a user name instead of an id', '{"users":["alice"]}'],
  ])('allows nobody and says why for %s', (_label, text) => {
    // Act
    const parsed = parseSlackAllowList(text);

    // Assess
    expect(parsed.allowList).toEqual(NOBODY_ALLOWED);
    expect(parsed.problem).toBeDefined();
  });
});

describe('Function: isSlackActionAllowed', () => {
  it('allows a listed user anywhere when no channels are listed', () => {
    // Assess
    expect(isSlackActionAllowed({ users: ['U1A'] }, 'U1A', undefined)).toBe(true);
    expect(isSlackActionAllowed({ users: ['U1A'] }, 'U2B', 'C1')).toBe(false);
  });

  it('allows a listed user only in a listed channel when channels are listed', () => {
    // Prepare
    const allowList = { users: ['U1A'], channels: ['COPS'] };

    // Assess
    expect(isSlackActionAllowed(allowList, 'U1A', 'COPS')).toBe(true);
    expect(isSlackActionAllowed(allowList, 'U1A', 'CRANDOM')).toBe(false);
    expect(isSlackActionAllowed(allowList, 'U1A', undefined)).toBe(false);
  });
});
