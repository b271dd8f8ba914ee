import { InvalidReleaseInput } from './errors.ts';
import { ecrRepositoryLocationOf } from './ecrRepositoryLocationOf.ts';
import type { EcrPort } from './ports.ts';

/** An image as a release names it: a repository and either a digest or a tag. */
export interface ImageReference {
  readonly repository: string;
  readonly digest?: string;
  readonly tag?: string;
}

/**
 * The digest a release pins: `image.digest` as given, or the digest `image.tag` points at now in ECR (DescribeImages).
 * Throws {@link InvalidReleaseInput} naming `image.tag` when the tag does not exist, `image.repository` when the
 * repository does not exist or is not in ECR. Only reads.
 */
export async function resolveImageDigest(image: ImageReference, ecr: EcrPort): Promise<string> {
  if (image.digest !== undefined) return image.digest;
  if (image.tag === undefined) throw new InvalidReleaseInput('image: must have exactly one of digest and tag');
  const location = ecrRepositoryLocationOf(image.repository);
  if (location === undefined) {
    throw new InvalidReleaseInput(`image.tag: a tag can be resolved only in an ECR repository; ${image.repository} is not one, give image.digest`);
  }
  let digest: string | undefined;
  try {
    digest = await ecr.findImageDigest(location, image.tag);
  } catch (error) {
    if ((error as Error).name === 'RepositoryNotFoundException') {
      throw new InvalidReleaseInput(`image.repository: no ECR repository ${image.repository}`, { cause: error });
    }
    throw error;
  }
  if (digest === undefined) throw new InvalidReleaseInput(`image.tag: ${image.repository} has no image tagged ${image.tag}`);
  return digest;
}
