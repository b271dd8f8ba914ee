import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_EXECUTION_NAME_LENGTH, releaseExecutionName } from '../../../lambdas/domain/releaseExecutionName.ts';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const resourceName = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/);
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`);

describe('Function: releaseExecutionName', () => {
  it('is readable: service, environment, the digest\'s first 16 hex digits and a key', () => {
    // Act
    const name = releaseExecutionName('web', 'prod', DIGEST);

    // Assess
    expect(name).toMatch(/^web-prod-0123456789abcdef-[a-f0-9]{10}$/);
  });

  it('is the same for the same release and differs when service, environment or digest differ', () => {
    // Act
    const name = releaseExecutionName('web', 'prod', DIGEST);

    // Assess
    expect(releaseExecutionName('web', 'prod', DIGEST)).toBe(name);
    expect(releaseExecutionName('web', 'dev', DIGEST)).not.toBe(name);
    expect(releaseExecutionName('api', 'prod', DIGEST)).not.toBe(name);
    expect(releaseExecutionName('web', 'prod', DIGEST.replace(/f$/, '0'))).not.toBe(name);
    expect(releaseExecutionName('a-b', 'c', DIGEST)).not.toBe(releaseExecutionName('a', 'b-c', DIGEST));
  });

  it('appends an again suffix for a deliberate re-release and refuses a suffix that is not short and plain', () => {
    // Act
    const again = releaseExecutionName('web', 'prod', DIGEST, 'k3x9q2');

    // Assess
    expect(again).toBe(`${releaseExecutionName('web', 'prod', DIGEST)}-k3x9q2`);
    expect(() => releaseExecutionName('web', 'prod', DIGEST, 'Not/OK')).toThrow(RangeError);
  });

  it('always fits Step Functions\' limit with allowed characters only, whatever the names', () => {
    fc.assert(
      fc.property(resourceName, resourceName, digest, fc.option(fc.stringMatching(/^[a-z0-9]{1,8}$/), { nil: undefined }), (service, environment, image, again) => {
        // Act
        const name = releaseExecutionName(service, environment, image, again);

        // Assess
        expect(name.length).toBeLessThanOrEqual(MAX_EXECUTION_NAME_LENGTH);
        expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
      }),
      { numRuns: 2000 },
    );
  });
});
