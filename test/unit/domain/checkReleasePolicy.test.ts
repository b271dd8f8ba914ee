import { describe, expect, it } from 'vitest';
import { checkReleasePolicy } from '../../../lambdas/domain/checkReleasePolicy.ts';
import type { ParameterPort } from '../../../lambdas/domain/ports.ts';
import { releaseContextFixture, releaseStateFixture } from '../../support/releaseStateFixture.ts';

// 2025-01-01 is a Wednesday; the release started at 00:00 UTC.
const NOW = new Date('2025-01-01T10:00:00.000Z');
const wednesdayMorning = { from: { day: 'wed', time: '08:00' }, to: { day: 'wed', time: '12:00' } };

/** The settings parameter as SSM holds it: `undefined` when it does not exist. */
function parametersWith(text: string | undefined): ParameterPort & { readonly reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    getParameter: async (name) => {
      reads.push(name);
      return text;
    },
  };
}

describe('Function: checkReleasePolicy', () => {
  const state = releaseStateFixture({ step: undefined });

  it('lets the release through with the defaults when the environment has no settings parameter', async () => {
    // Prepare
    const parameters = parametersWith(undefined);

    // Act
    const policy = await checkReleasePolicy(state, { parameters }, NOW);

    // Assess
    expect(parameters.reads).toEqual(['/cutover/prod/settings']);
    expect(policy).toEqual({ requireApproval: false, approvalTimeoutSeconds: 86400, allowSelfApproval: false, approvers: [] });
  });

  it('requires an approval with the environment as the reason and its approval settings', async () => {
    // Prepare
    const parameters = parametersWith(JSON.stringify({ requireApproval: true, approvers: ['carol'], approvalTimeoutSeconds: 3600 }));

    // Act
    const policy = await checkReleasePolicy(state, { parameters }, NOW);

    // Assess
    expect(policy).toEqual({ requireApproval: true, approvalReason: 'prod requires an approval', approvalTimeoutSeconds: 3600, allowSelfApproval: false, approvers: ['carol'] });
  });

  it('requires an approval for a promotion into a service that asks for one', async () => {
    // Prepare
    const promoted = releaseStateFixture({ step: undefined, release: releaseContextFixture({ promotedFrom: { environment: 'staging', releaseId: 'rel-0' }, promotion: 'approval' }) });

    // Act
    const policy = await checkReleasePolicy(promoted, { parameters: parametersWith('{}') }, NOW);

    // Assess
    expect(policy).toMatchObject({ requireApproval: true, approvalReason: 'web requires an approval for promotions (promotion: approval)' });
  });

  it('reports when a freeze ends and how many seconds the release waits for it', async () => {
    // Prepare
    const parameters = parametersWith(JSON.stringify({ freeze: { windows: [wednesdayMorning] } }));

    // Act
    const policy = await checkReleasePolicy(state, { parameters }, NOW);

    // Assess
    expect(policy).toMatchObject({ waitUntil: '2025-01-01T12:00:00.000Z', waitSeconds: 7200, freezeReason: 'wed 08:00 → wed 12:00 UTC', requireApproval: false });
  });

  it('throws ReleaseFrozen during a freeze when the environment refuses', async () => {
    // Prepare
    const parameters = parametersWith(JSON.stringify({ freeze: { windows: [wednesdayMorning], onFreeze: 'refuse' } }));

    // Act
    const checking = checkReleasePolicy(state, { parameters }, NOW);

    // Assess
    await expect(checking).rejects.toMatchObject({ name: 'ReleaseFrozen', message: expect.stringContaining('until 2025-01-01T12:00:00.000Z; releases are refused') });
  });

  it('throws ReleaseFrozen when the freeze ends later than maxWaitSeconds after the release started', async () => {
    // Prepare
    const parameters = parametersWith(JSON.stringify({ freeze: { windows: [wednesdayMorning], maxWaitSeconds: 3600 } }));

    // Act
    const checking = checkReleasePolicy(state, { parameters }, NOW);

    // Assess
    await expect(checking).rejects.toMatchObject({ name: 'ReleaseFrozen', message: expect.stringContaining('maxWaitSeconds 3600 after 2025-01-01T00:00:00.000Z') });
  });

  it('throws InvalidEnvironmentSettings naming the field when the settings break the schema', async () => {
    // Prepare
    const parameters = parametersWith(JSON.stringify({ freeze: { onFreeze: 'sometimes' } }));

    // Act
    const checking = checkReleasePolicy(state, { parameters }, NOW);

    // Assess
    await expect(checking).rejects.toMatchObject({ name: 'InvalidEnvironmentSettings', message: expect.stringMatching(/^\/cutover\/prod\/settings is invalid: .*onFreeze/) });
  });

  it('throws InvalidEnvironmentSettings when the settings are not JSON', async () => {
    // Prepare
    const parameters = parametersWith('{ requireApproval: true');

    // Act
    const checking = checkReleasePolicy(state, { parameters }, NOW);

    // Assess
    await expect(checking).rejects.toMatchObject({ name: 'InvalidEnvironmentSettings', message: '/cutover/prod/settings is not valid JSON' });
  });

  it('lets a rollback release through without reading the settings, so even invalid settings or a freeze never hold it', async () => {
    // Prepare
    const rollback = releaseStateFixture({
      step: undefined,
      release: releaseContextFixture({ rollback: { taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:5', fromReleaseId: 'rel-0' } }),
    });
    const parameters = parametersWith('not json at all');

    // Act
    const policy = await checkReleasePolicy(rollback, { parameters }, NOW);

    // Assess
    expect(policy).toEqual({ requireApproval: false, exempt: 'rollback' });
    expect(parameters.reads).toEqual([]);
  });
});
