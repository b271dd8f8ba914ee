import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReleaseError } from '../../../lambdas/domain/errors.ts';
import { prepareRelease, type PrepareReleasePorts } from '../../../lambdas/domain/prepareRelease.ts';
import { fakeAwsPorts } from '../../support/fakeAwsPorts.ts';

const DIGEST = `sha256:${'d'.repeat(64)}`;
const valid = { service: 'orders', environment: 'prod', image: { repository: 'orders', digest: DIGEST }, requestedBy: 'alice' };
const EXECUTION = { executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:cutover-prod-release:rel-1', executionName: 'rel-1', startTime: '2025-03-01T12:00:00.000Z' };

/** Ports with no service configured: whatever the input, nothing may be written or changed. */
function portsWithoutWrites(): { ports: PrepareReleasePorts; mutations: () => number; ecrCalls: () => number } {
  const fake = fakeAwsPorts();
  let ecrCalls = 0;
  return {
    ports: { ...fake.ports, ecr: { findImageDigest: async () => ((ecrCalls += 1), undefined) } },
    mutations: () => fake.calls.acquireLock.length + fake.calls.registered.length + fake.calls.updates.length + fake.calls.weights.length,
    ecrCalls: () => ecrCalls,
  };
}

async function rejectionOf(input: unknown, ports: PrepareReleasePorts): Promise<Error> {
  try {
    await prepareRelease({ input, ...EXECUTION }, ports, new Date('2025-03-01T12:00:01.000Z'));
  } catch (error) {
    return error as Error;
  }
  throw new Error('prepareRelease accepted an input it cannot release');
}

describe('Function: prepareRelease (properties of console input)', () => {
  it('rejects any arbitrary value with InvalidReleaseInput and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (input) => {
        // Prepare
        const { ports, mutations, ecrCalls } = portsWithoutWrites();

        // Act
        const error = await rejectionOf(input, ports);

        // Assess
        expect(error).toBeInstanceOf(ReleaseError);
        expect(error.name).toBe('InvalidReleaseInput');
        expect(mutations()).toBe(0);
        expect(ecrCalls()).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('names the field when one field of a valid input is replaced by an arbitrary invalid value', async () => {
    const fields = ['service', 'environment', 'image', 'image.repository', 'image.digest', 'strategy', 'requestedBy'] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), fc.anything(), async (field, value) => {
        // Prepare
        const { ports, mutations } = portsWithoutWrites();
        const input: Record<string, unknown> = { ...valid, image: { ...valid.image } };
        if (field.startsWith('image.')) (input['image'] as Record<string, unknown>)[field.slice(6)] = value;
        else input[field] = value;

        // Act
        const error = await rejectionOf(input, ports);

        // Assess: a value that happens to be valid gets past the input check and fails on the missing configuration.
        expect(error).toBeInstanceOf(ReleaseError);
        if (error.name === 'InvalidReleaseInput') expect(error.message).toContain(field === 'image.digest' && value === undefined ? 'image' : field);
        else expect(error.name).toBe('InvalidServiceConfig');
        expect(mutations()).toBe(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects a typo in any key with InvalidReleaseInput naming the key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 20 }).filter((key) => !['service', 'environment', 'image', 'strategy', 'requestedBy', '__proto__'].includes(key)), async (key) => {
        // Prepare
        const { ports, mutations } = portsWithoutWrites();

        // Act
        const error = await rejectionOf({ ...valid, [key]: 'x' }, ports);

        // Assess
        expect(error.name).toBe('InvalidReleaseInput');
        expect(error.message).toContain('Unrecognized key');
        expect(mutations()).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });
});
