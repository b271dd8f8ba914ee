import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReleaseError } from '../../../lambdas/domain/errors.ts';
import { onImagePushed, type OnImagePushedPorts } from '../../../lambdas/domain/onImagePushed.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const push = {
  version: '0',
  id: '13cde686-328b-6117-af20-0e5566167482',
  'detail-type': 'ECR Image Action',
  source: 'aws.ecr',
  account: '123456789012',
  time: '2019-11-16T01:54:34Z',
  region: 'us-west-2',
  resources: [],
  detail: { result: 'SUCCESS', 'repository-name': 'web', 'image-digest': DIGEST, 'action-type': 'PUSH', 'image-tag': 'main-1' },
};
const config = JSON.stringify({
  cluster: 'apps',
  containerName: 'app',
  blue: { serviceName: 'web-blue', targetGroupArn: 'arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/b/0123456789abcdef' },
  green: { serviceName: 'web-green', targetGroupArn: 'arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/g/fedcba9876543210' },
  productionListenerRuleArn: 'arn:aws:elasticloadbalancing:us-west-2:123456789012:listener-rule/app/web/0123456789abcdef/0123456789abcdef/0123456789abcdef',
  alarmNames: ['5xx'],
  triggers: [{ repository: 'web', tagPattern: '*' }],
});

/** Ports whose configuration releases `web` on any tag, recording every start. */
function recordingPorts(): { ports: OnImagePushedPorts; started: string[] } {
  const started: string[] = [];
  return {
    started,
    ports: {
      parameters: { getParametersByPath: async (path) => new Map([[`${path}/web`, config]]) },
      executions: {
        startExecution: async (_arn, name) => {
          started.push(name);
          return { started: true, executionArn: name };
        },
      },
    },
  };
}

const settings = { environment: 'dev', stateMachineArn: 'arn:aws:states:us-west-2:123456789012:stateMachine:cutover-dev-release' };

/** Runs the use case; any throw must be a ReleaseError with a literal name. */
async function outcomeOf(event: unknown, ports: OnImagePushedPorts): Promise<string> {
  try {
    return (await onImagePushed(event, ports, settings)).outcome;
  } catch (error) {
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).name).toBe('InvalidImagePushEvent');
    return 'rejected';
  }
}

const notADigest = fc.anything().filter((value) => typeof value !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(value));

describe('Function: onImagePushed (properties)', () => {
  it('never throws an untyped error and never starts an execution for arbitrary values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (event) => {
        // Prepare
        const { ports, started } = recordingPorts();

        // Act
        await outcomeOf(event, ports);

        // Assess
        expect(started).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects a successful push whose digest is missing or malformed, and starts nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.option(notADigest, { nil: undefined }), async (digest) => {
        // Prepare
        const { ports, started } = recordingPorts();
        const event = { ...push, detail: { ...push.detail, 'image-digest': digest } };

        // Act
        const outcome = await outcomeOf(event, ports);

        // Assess
        expect(outcome).toBe('rejected');
        expect(started).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('starts nothing for any envelope or detail field replaced by an arbitrary value, unless the event stays a valid push', async () => {
    const fields = ['source', 'detail-type', 'account', 'region', 'detail', 'detail.result', 'detail.action-type', 'detail.repository-name', 'detail.image-tag'] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), fc.anything(), async (field, value) => {
        // Prepare
        const { ports, started } = recordingPorts();
        const event: Record<string, unknown> = { ...push, detail: { ...push.detail } };
        if (field.startsWith('detail.')) (event['detail'] as Record<string, unknown>)[field.slice('detail.'.length)] = value;
        else event[field] = value;
        const original = field.startsWith('detail.') ? (push.detail as Record<string, unknown>)[field.slice(7)] : (push as Record<string, unknown>)[field];
        const tagStillValid = field === 'detail.image-tag' && (value === undefined || (typeof value === 'string' && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(value)));
        const regionStillValid = field === 'region' && typeof value === 'string' && /^[a-z]{2}(?:-[a-z]+)+-\d$/.test(value);
        const accountStillValid = field === 'account' && typeof value === 'string' && /^\d{12}$/.test(value);
        const repositoryStillValid = field === 'detail.repository-name' && value === 'web';

        // Act
        const outcome = await outcomeOf(event, ports);

        // Assess
        if (value === original || tagStillValid || regionStillValid || accountStillValid || repositoryStillValid) {
          expect(['released', 'unmatched']).toContain(outcome);
        } else {
          expect(started).toEqual([]);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
