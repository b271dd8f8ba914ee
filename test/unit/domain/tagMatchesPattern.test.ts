import { describe, expect, it } from 'vitest';
import { tagMatchesPattern } from '../../../lambdas/domain/tagMatchesPattern.ts';

describe('Function: tagMatchesPattern', () => {
  it.each([
    ['main-42', 'main-*', true],
    ['main-', 'main-*', true],
    ['feature-main-1', 'main-*', false],
    ['v1.2.3', 'v*', true],
    ['latest', 'latest', true],
    ['latest2', 'latest', false],
    ['v1x2', 'v1.2', false],
    ['release-7-rc', 'release-*-rc', true],
    ['anything', '*', true],
  ])('matches %s against %s: %s', (tag, pattern, expected) => {
    // Act
    const matches = tagMatchesPattern(tag, pattern);

    // Assess
    expect(matches).toBe(expected);
  });
});
