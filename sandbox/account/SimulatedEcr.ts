import { awsError } from './awsError.ts';

interface StoredImage {
  readonly imageDigest: string;
  readonly imageTags: string[];
  readonly imagePushedAt: Date;
}

/** Amazon ECR of the simulated account: repositories with tagged images, answering DescribeImages. */
export class SimulatedEcr {
  private readonly repositories = new Map<string, StoredImage[]>();

  constructor(private readonly accountId: string) {}

  /** The operations this service answers, by name. */
  readonly operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeImages: (input) => this.describeImages(input),
  };

  /** Creates a repository (if needed) and pushes an image with its tags; a tag moves off any older image, as in ECR. */
  seedImage(repositoryName: string, imageDigest: string, tags: readonly string[] = []): void {
    const images = this.repositories.get(repositoryName) ?? [];
    for (const image of images) image.imageTags.splice(0, image.imageTags.length, ...image.imageTags.filter((tag) => !tags.includes(tag)));
    const existing = images.find((image) => image.imageDigest === imageDigest);
    if (existing === undefined) images.push({ imageDigest, imageTags: [...tags], imagePushedAt: new Date() });
    else existing.imageTags.push(...tags.filter((tag) => !existing.imageTags.includes(tag)));
    this.repositories.set(repositoryName, images);
  }

  /** Removes every repository. */
  reset(): void {
    this.repositories.clear();
  }

  private describeImages(input: Record<string, unknown>): unknown {
    const repositoryName = String(input.repositoryName);
    const registryId = typeof input.registryId === 'string' ? input.registryId : this.accountId;
    const images = registryId === this.accountId ? this.repositories.get(repositoryName) : undefined;
    if (images === undefined) {
      throw awsError('ecr', 'RepositoryNotFoundException', `The repository with name '${repositoryName}' does not exist in the registry with id '${registryId}'`);
    }
    const ids = Array.isArray(input.imageIds) ? (input.imageIds as { imageTag?: string; imageDigest?: string }[]) : undefined;
    const found = ids === undefined ? images : ids.map((id) => {
      const image = images.find((candidate) => (id.imageDigest === undefined || candidate.imageDigest === id.imageDigest) && (id.imageTag === undefined || candidate.imageTags.includes(id.imageTag)));
      if (image === undefined) {
        const described = id.imageTag === undefined ? `imageDigest=${id.imageDigest}` : `imageTag=${id.imageTag}`;
        throw awsError('ecr', 'ImageNotFoundException', `The image with imageId {${described}} does not exist within the repository with name '${repositoryName}' in the registry with id '${registryId}'`);
      }
      return image;
    });
    return {
      imageDetails: found.map((image) => ({
        registryId,
        repositoryName,
        imageDigest: image.imageDigest,
        ...(image.imageTags.length === 0 ? {} : { imageTags: [...image.imageTags] }),
        imagePushedAt: image.imagePushedAt,
        imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        imageSizeInBytes: 52_428_800,
      })),
    };
  }
}
