import { DescribeImagesCommand, ECRClient, ImageNotFoundException, RepositoryNotFoundException } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { EcrAdapter } from '../../../lambdas/adapters/EcrAdapter.ts';

const DIGEST = `sha256:${'c'.repeat(64)}`;

describe('Class: EcrAdapter', () => {
  const ecr = mockClient(ECRClient);

  afterEach(() => {
    ecr.reset();
  });

  describe('Method: findImageDigest', () => {
    it('returns the digest of the tagged image, asking the registry named by registryId', async () => {
      // Prepare
      ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['v1'] }] });
      const adapter = new EcrAdapter(new ECRClient({ region: 'eu-west-1' }));

      // Act
      const digest = await adapter.findImageDigest({ repositoryName: 'team/web', registryId: '210987654321', region: 'eu-west-1' }, 'v1');

      // Assess
      expect(digest).toBe(DIGEST);
      expect(ecr).toHaveReceivedCommandWith(DescribeImagesCommand, { repositoryName: 'team/web', registryId: '210987654321', imageIds: [{ imageTag: 'v1' }] });
    });

    it('returns undefined when the tag does not exist', async () => {
      // Prepare
      ecr.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'not found', $metadata: {} }));

      // Act
      const digest = await new EcrAdapter(new ECRClient({ region: 'eu-west-1' })).findImageDigest({ repositoryName: 'web' }, 'v404');

      // Assess
      expect(digest).toBeUndefined();
    });

    it('lets RepositoryNotFoundException through', async () => {
      // Prepare
      ecr.on(DescribeImagesCommand).rejects(new RepositoryNotFoundException({ message: 'no repo', $metadata: {} }));

      // Act & Assess
      await expect(new EcrAdapter(new ECRClient({ region: 'eu-west-1' })).findImageDigest({ repositoryName: 'gone' }, 'v1')).rejects.toThrow(
        expect.objectContaining({ name: 'RepositoryNotFoundException' }),
      );
    });

    it('asks a repository of another region through a client of that region', async () => {
      // Prepare
      ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
      const regions: string[] = [];
      const adapter = new EcrAdapter(new ECRClient({ region: 'eu-west-1' }), (region) => {
        regions.push(region);
        return new ECRClient({ region });
      });

      // Act
      await adapter.findImageDigest({ repositoryName: 'web', registryId: '123456789012', region: 'us-east-1' }, 'v1');
      await adapter.findImageDigest({ repositoryName: 'web', registryId: '123456789012', region: 'us-east-1' }, 'v2');
      await adapter.findImageDigest({ repositoryName: 'web', registryId: '123456789012', region: 'eu-west-1' }, 'v3');

      // Assess
      expect(regions).toEqual(['us-east-1']);
    });
  });
});
