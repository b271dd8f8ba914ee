import * as z from 'zod';
import { imageDigestSchema, repositorySchema, resourceNameSchema } from './releaseInput.ts';
import type { ReleaseContext } from './releaseState.ts';

/**
 * The EventBridge `source` and `detail-type` of a release that succeeded. The environment's promotion rule forwards it
 * to the next environment's promotion bus, whose policy accepts only this detail-type from the source account.
 */
export const RELEASE_SUCCEEDED_EVENT = { source: 'cutover', detailType: 'Release Succeeded' } as const;

/** The `detail` of a `Release Succeeded` event: what the next environment releases (the same digest). */
export const releaseSucceededDetailSchema = z.object({
  service: resourceNameSchema,
  /** The environment the release succeeded in. */
  environment: resourceNameSchema,
  releaseId: z.string().min(1).max(128),
  image: z.object({
    /** The full repository URI, so that another account pulls the same repository. */
    repository: repositorySchema,
    digest: imageDigestSchema,
  }),
  /** When the release succeeded (ISO 8601). */
  at: z.string().max(64),
  /** The environment this release was itself promoted from, if any. */
  promotedFrom: z.object({ environment: resourceNameSchema, releaseId: z.string().min(1).max(128) }).optional(),
});

/** The `detail` of a `Release Succeeded` event. */
export type ReleaseSucceededDetail = z.infer<typeof releaseSucceededDetailSchema>;

/**
 * The `Release Succeeded` detail of a release that ended Succeeded, or `undefined` for a rollback release (restoring an
 * earlier image is never promoted).
 */
export function releaseSucceededDetailFor(release: ReleaseContext, at: Date): ReleaseSucceededDetail | undefined {
  if (release.rollback !== undefined) return undefined;
  const repository = release.image.imageUri.slice(0, release.image.imageUri.lastIndexOf('@'));
  return {
    service: release.service,
    environment: release.environment,
    releaseId: release.releaseId,
    image: { repository, digest: release.image.digest },
    at: at.toISOString(),
    ...(release.promotedFrom === undefined ? {} : { promotedFrom: release.promotedFrom }),
  };
}
