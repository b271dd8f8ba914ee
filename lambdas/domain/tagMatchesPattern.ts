/**
 * Whether an image tag matches a trigger's tag pattern: a glob whose `*` stands for any run of characters (also none),
 * anchored at both ends, every other character literal. `main-*` matches `main-42` and `main-`, not `feature-main-1`.
 */
export function tagMatchesPattern(tag: string, pattern: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(tag);
}
