import { InvalidReleaseInput } from './errors.ts';
import { imageDigestSchema, imageTagSchema, repositorySchema } from './releaseInput.ts';
import type { ImageReference } from './resolveImageDigest.ts';

/**
 * Parses `REPO@sha256:…` or `REPO:TAG` (REPO a repository name or URI, as in the release input) into the release
 * input's `image`, or throws {@link InvalidReleaseInput} naming the part that is wrong.
 */
export function parseImageReference(reference: string): ImageReference {
  const at = reference.indexOf('@');
  if (at >= 0) {
    return { repository: check('image.repository', repositorySchema, reference.slice(0, at)), digest: check('image.digest', imageDigestSchema, reference.slice(at + 1)) };
  }
  const colon = reference.lastIndexOf(':');
  if (colon <= reference.lastIndexOf('/')) {
    throw new InvalidReleaseInput(`image: ${reference} names no tag or digest; give REPO:TAG or REPO@sha256:<digest>`);
  }
  return { repository: check('image.repository', repositorySchema, reference.slice(0, colon)), tag: check('image.tag', imageTagSchema, reference.slice(colon + 1)) };
}

function check(field: string, schema: { safeParse(value: unknown): { success: boolean; error?: { issues: readonly { message: string }[] } } }, value: string): string {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidReleaseInput(`${field}: ${result.error?.issues[0]?.message ?? 'is invalid'}`);
  return value;
}
