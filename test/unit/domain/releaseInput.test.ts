import { describe, expect, it } from 'vitest';
import { InvalidReleaseInput } from '../../../lambdas/domain/errors.ts';
import { parseReleaseInput } from '../../../lambdas/domain/releaseInput.ts';

const digest = `sha256:${'a'.repeat(64)}`;
const rollbackTo = { taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7', fromReleaseId: 'web-prod-1111-aaaa' };
const valid = { service: 'web', environment: 'prod', image: { repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web', digest } };

describe('Function: parseReleaseInput', () => {
  it('accepts a release pinned by digest and defaults the requester', () => {
    // Act
    const input = parseReleaseInput(valid);

    // Assess
    expect(input).toEqual({ ...valid, requestedBy: 'unknown' });
  });

  it('accepts a bare repository name and a strategy override', () => {
    // Act
    const input = parseReleaseInput({ ...valid, image: { repository: 'web', digest }, strategy: { steps: [{ setWeight: 100 }] }, requestedBy: 'alice' });

    // Assess
    expect(input.image?.repository).toBe('web');
    expect(input.strategy?.steps).toEqual([{ setWeight: 100 }]);
  });

  it('accepts a tag instead of a digest, to be resolved by Prepare', () => {
    // Act
    const input = parseReleaseInput({ ...valid, image: { repository: 'web', tag: 'v1.2.3' } });

    // Assess
    expect(input.image).toEqual({ repository: 'web', tag: 'v1.2.3' });
  });

  it('accepts a rollback to an earlier task definition instead of an image', () => {
    // Act
    const input = parseReleaseInput({ service: 'web', environment: 'prod', rollbackTo, requestedBy: 'slack:U1 (alice)' });

    // Assess
    expect(input.image).toBeUndefined();
    expect(input.rollbackTo).toEqual(rollbackTo);
  });

  it.each([
    ['a string', 'web', '(root)'],
    ['a missing service', { ...valid, service: undefined }, 'service'],
    ['an upper-case environment', { ...valid, environment: 'Prod' }, 'environment'],
    ['neither digest nor tag', { ...valid, image: { repository: 'web' } }, 'image: must have exactly one of digest and tag'],
    ['both digest and tag', { ...valid, image: { repository: 'web', digest, tag: 'v1' } }, 'image: must have exactly one of digest and tag'],
    ['a tag with a slash', { ...valid, image: { repository: 'web', tag: 'v1/2' } }, 'image.tag: must be an image tag'],
    ['a short digest', { ...valid, image: { repository: 'web', digest: 'sha256:abc' } }, 'image.digest: must be sha256:<64 hex digits>'],
    ['a repository with a tag', { ...valid, image: { repository: 'web:v1', digest } }, 'image.repository'],
    ['an unknown field', { ...valid, dryrun: true }, 'Unrecognized key'],
    ['an invalid strategy', { ...valid, strategy: { steps: [] } }, 'strategy.steps'],
    ['neither image nor rollbackTo', { service: 'web', environment: 'prod' }, 'image: must have exactly one of image and rollbackTo'],
    ['both image and rollbackTo', { ...valid, rollbackTo }, 'image: must have exactly one of image and rollbackTo'],
    ['a rollback with a strategy', { service: 'web', environment: 'prod', rollbackTo, strategy: { steps: [{ setWeight: 100 }] } }, 'strategy: a rollback is always all at once'],
    ['a rollback to a family without revision', { service: 'web', environment: 'prod', rollbackTo: { ...rollbackTo, taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web' } }, 'rollbackTo.taskDefinitionArn: must be a task definition revision ARN'],
  ])('rejects %s with InvalidReleaseInput naming the field', (_label, value, field) => {
    // Act
    const act = () => parseReleaseInput(value);

    // Assess
    expect(act).toThrow(InvalidReleaseInput);
    expect(act).toThrow(field);
  });
});
