import { describe, expect, it } from 'vitest';
import { InvalidReleaseInput } from '../../../lambdas/domain/errors.ts';
import { parseExecutionArn } from '../../../lambdas/domain/parseExecutionArn.ts';

describe('Function: parseExecutionArn', () => {
  it('returns the partition, region and account of an execution ARN', () => {
    // Act
    const location = parseExecutionArn('arn:aws:states:eu-west-1:123456789012:execution:cutover-release:rel-1');

    // Assess
    expect(location).toEqual({ partition: 'aws', region: 'eu-west-1', account: '123456789012' });
  });

  it('reads other partitions', () => {
    // Act
    const location = parseExecutionArn('arn:aws-cn:states:cn-north-1:123456789012:execution:m:e');

    // Assess
    expect(location.partition).toBe('aws-cn');
  });

  it('throws InvalidReleaseInput for a state machine ARN', () => {
    // Act & Assess
    expect(() => parseExecutionArn('arn:aws:states:eu-west-1:123456789012:stateMachine:cutover-release')).toThrow(InvalidReleaseInput);
  });
});
