import { describe, expect, it } from 'vitest';
import type { ReleaseArgs } from '../../../bin/cli/parseReleaseArgs.ts';
import { runReleaseCommand, type ReleaseCommandPorts } from '../../../bin/cli/runReleaseCommand.ts';
import type { LedgerRecord } from '../../../lambdas/domain/ports.ts';
import { releaseExecutionName } from '../../../lambdas/domain/releaseExecutionName.ts';

const DIGEST = `sha256:${'e'.repeat(64)}`;
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:cutover-prod-release';
const base: ReleaseArgs = {
  command: 'release',
  service: 'web',
  environment: 'prod',
  tableName: 'cutover-prod-releases',
  stateMachineName: 'cutover-prod-release',
  image: { repository: 'web', tag: 'v7' },
  actor: 'alice',
  limit: 20,
  json: false,
};

function fakePorts(existing: ReadonlySet<string> = new Set(), ledger: LedgerRecord[] = []) {
  const starts: { name: string; input: Record<string, unknown> }[] = [];
  const ports: ReleaseCommandPorts = {
    ecr: { findImageDigest: async (repository, tag) => (repository.repositoryName === 'web' && tag === 'v7' ? DIGEST : undefined) },
    executions: {
      startExecution: async (_arn, name, input) => {
        starts.push({ name, input });
        const executionArn = `${MACHINE.replace(':stateMachine:', ':execution:')}:${name}`;
        return existing.has(name) ? { started: false, executionArn } : { started: true, executionArn };
      },
      describeExecutionStatus: async () => 'SUCCEEDED',
      sendTaskFailure: async () => true,
      sendTaskSuccess: async () => true,
    },
    store: {
      listReleases: async (_environment: string, _service: string, limit: number) => ledger.slice(0, limit),
    } as unknown as ReleaseCommandPorts['store'],
    stateMachineArn: async () => MACHINE,
  };
  return { ports, starts };
}

describe('Function: runReleaseCommand', () => {
  it('resolves the tag and starts the execution named by the release rule, pinned to the digest', async () => {
    // Prepare
    const { ports, starts } = fakePorts();

    // Act
    const result = await runReleaseCommand(base, ports);

    // Assess
    expect(starts).toEqual([
      { name: releaseExecutionName('web', 'prod', DIGEST), input: { service: 'web', environment: 'prod', image: { repository: 'web', digest: DIGEST }, requestedBy: 'alice' } },
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.message).toContain('started');
  });

  it('says an image was already released, points at the execution and suggests --again', async () => {
    // Prepare
    const { ports } = fakePorts(new Set([releaseExecutionName('web', 'prod', DIGEST)]));

    // Act
    const result = await runReleaseCommand(base, ports);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.message).toContain(`already released by execution arn:aws:states:eu-west-1:123456789012:execution:cutover-prod-release:${releaseExecutionName('web', 'prod', DIGEST)} (SUCCEEDED)`);
    expect(result.message).toContain('--again');
  });

  it('starts a deliberate re-release under the name with the again suffix', async () => {
    // Prepare
    const { ports, starts } = fakePorts(new Set([releaseExecutionName('web', 'prod', DIGEST)]));

    // Act
    const result = await runReleaseCommand({ ...base, again: 'k3x9q2' }, ports);

    // Assess
    expect(result.exitCode).toBe(0);
    expect(starts[0]?.name).toBe(`${releaseExecutionName('web', 'prod', DIGEST)}-k3x9q2`);
  });

  it('throws InvalidReleaseInput naming image.tag for a tag that does not exist, and starts nothing', async () => {
    // Prepare
    const { ports, starts } = fakePorts();

    // Act & Assess
    await expect(runReleaseCommand({ ...base, image: { repository: 'web', tag: 'v404' } }, ports)).rejects.toThrow(
      expect.objectContaining({ name: 'InvalidReleaseInput', message: 'image.tag: web has no image tagged v404' }),
    );
    expect(starts).toEqual([]);
  });

  it('lists the history from the ledger, newest first, one line per release', async () => {
    // Prepare
    const record = (releaseId: string, outcome: LedgerRecord['outcome'], cause?: string): LedgerRecord => ({
      releaseId,
      executionArn: `arn:${releaseId}`,
      service: 'web',
      environment: 'prod',
      imageRepository: 'web',
      imageDigest: DIGEST,
      imageUri: `web@${DIGEST}`,
      fromColor: 'blue',
      toColor: 'green',
      fromTaskDefinition: 'td',
      requestedBy: 'ecr push web:v7',
      outcome,
      startedAt: '2025-03-01T12:00:00.000Z',
      ...(cause === undefined ? {} : { cause }),
    });
    const { ports } = fakePorts(new Set(), [record('rel-2', 'RolledBack', 'AlarmFired: web-5xx'), record('rel-1', 'Succeeded')]);

    // Act
    const result = await runReleaseCommand({ ...base, command: 'history', limit: 5 }, ports);

    // Assess
    expect(result.message.split('\n')).toEqual([
      'web in prod: latest 2 release(s), newest first',
      '2025-03-01T12:00:00.000Z  RolledBack  eeeeeeeeeeee  ecr push web:v7  rel-2  (AlarmFired: web-5xx)',
      '2025-03-01T12:00:00.000Z  Succeeded   eeeeeeeeeeee  ecr push web:v7  rel-1',
    ]);
  });
});
