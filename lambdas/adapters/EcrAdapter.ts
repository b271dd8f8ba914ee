import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import type { EcrPort, EcrRepositoryLocation } from '../domain/ports.ts';

/** {@link EcrPort} over the ECR SDK client; a repository in another region is asked through a client of that region. */
export class EcrAdapter implements EcrPort {
  private readonly client: ECRClient;
  private readonly clientFor: (region: string) => ECRClient;
  private readonly regional = new Map<string, ECRClient>();

  /**
   * @param client the client for the caller's region
   * @param clientFor creates the client of another region @default `new ECRClient({ region })`
   */
  constructor(client?: ECRClient, clientFor?: (region: string) => ECRClient) {
    this.client = client ?? new ECRClient({});
    this.clientFor = clientFor ?? ((region) => new ECRClient({ region }));
  }

  /** @inheritdoc */
  async findImageDigest(repository: EcrRepositoryLocation, tag: string): Promise<string | undefined> {
    const client = await this.clientOf(repository.region);
    try {
      const output = await client.send(
        new DescribeImagesCommand({
          repositoryName: repository.repositoryName,
          imageIds: [{ imageTag: tag }],
          ...(repository.registryId === undefined ? {} : { registryId: repository.registryId }),
        }),
      );
      return output.imageDetails?.[0]?.imageDigest;
    } catch (error) {
      if ((error as Error).name === 'ImageNotFoundException') return undefined;
      throw error;
    }
  }

  private async clientOf(region: string | undefined): Promise<ECRClient> {
    if (region === undefined || region === (await this.client.config.region())) return this.client;
    let client = this.regional.get(region);
    if (client === undefined) {
      client = this.clientFor(region);
      this.regional.set(region, client);
    }
    return client;
  }
}
