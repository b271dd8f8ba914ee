import { describe, expect, it } from 'vitest';
import { imageUriFor } from '../../../lambdas/domain/imageUriFor.ts';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const HERE = { account: '123456789012', region: 'eu-west-1' };

describe('Function: imageUriFor', () => {
  it('puts a bare repository name in this account and region', () => {
    // Act
    const uri = imageUriFor('orders', DIGEST, HERE);

    // Assess
    expect(uri).toBe(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@${DIGEST}`);
  });

  it('treats a namespaced name without a registry host as a repository name', () => {
    // Act
    const uri = imageUriFor('team/orders', DIGEST, HERE);

    // Assess
    expect(uri).toBe(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/orders@${DIGEST}`);
  });

  it('keeps a full repository URI as is', () => {
    // Act
    const uri = imageUriFor('999999999999.dkr.ecr.us-east-1.amazonaws.com/shared/orders', DIGEST, HERE);

    // Assess
    expect(uri).toBe(`999999999999.dkr.ecr.us-east-1.amazonaws.com/shared/orders@${DIGEST}`);
  });

  it('uses the China domain in the aws-cn partition', () => {
    // Act
    const uri = imageUriFor('orders', DIGEST, { ...HERE, region: 'cn-north-1', partition: 'aws-cn' });

    // Assess
    expect(uri).toBe(`123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/orders@${DIGEST}`);
  });
});
