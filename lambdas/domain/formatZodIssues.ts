import type { z } from 'zod';

/** Renders zod issues as one line that names each offending field, e.g. `image.digest: must be sha256:<64 hex digits>`. */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
