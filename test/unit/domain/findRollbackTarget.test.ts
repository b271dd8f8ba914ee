import { describe, expect, it } from 'vitest';
import { NothingToRollBack } from '../../../lambdas/domain/errors.ts';
import { chooseRollbackTarget, findRollbackTarget, rollbackExecutionName, rollbackReleaseExecutionName } from '../../../lambdas/domain/findRollbackTarget.ts';
import type { LedgerRecord } from '../../../lambdas/domain/ports.ts';
import { fakeAwsPorts } from '../../support/fakeAwsPorts.ts';

function record(releaseId: string, outcome: LedgerRecord['outcome'], toTaskDefinition?: string): LedgerRecord {
  return {
    releaseId,
    executionArn: `arn:aws:states:eu-west-1:123456789012:execution:cutover-prod-release:${releaseId}`,
    service: 'web',
    environment: 'prod',
    imageRepository: 'web',
    imageDigest: `sha256:${'a'.repeat(64)}`,
    imageUri: 'uri',
    fromColor: 'blue',
    toColor: 'green',
    fromTaskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1',
    requestedBy: 'alice',
    outcome,
    startedAt: '2025-03-01T12:00:00.000Z',
    ...(toTaskDefinition === undefined ? {} : { toTaskDefinition }),
  };
}

const td = (revision: number): string => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${revision}`;

describe('Function: chooseRollbackTarget', () => {
  it('skips releases that did not succeed and picks the newest success and the one before it', () => {
    // Act
    const choice = chooseRollbackTarget([record('r5', 'RolledBack'), record('r4', 'Succeeded', td(4)), record('r3', 'Failed'), record('r2', 'Succeeded', td(2))], 'web', 'prod');

    // Assess
    expect(choice.newest.releaseId).toBe('r4');
    expect(choice.previous).toMatchObject({ releaseId: 'r2', toTaskDefinition: td(2) });
  });

  it('undoes a release whose Finalize failed after its traffic reached 100 %: the ledger records it Succeeded, as live', async () => {
    // Act
    const choice = chooseRollbackTarget(
      [{ ...record('r3', 'Succeeded', td(3)), cause: 'the new colour (green, task definition web:3) serves 100 % of the traffic and stays live, recorded Succeeded; …' }, record('r2', 'Succeeded', td(2))],
      'web',
      'prod',
    );

    // Assess
    expect(choice.newest.releaseId).toBe('r3');
    expect(choice.previous).toMatchObject({ releaseId: 'r2', toTaskDefinition: td(2) });
  });

  it.each([
    ['Succeeded', { outcome: 'Succeeded', releaseId: 'r4', taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod/abc', exitCode: 0 }, 'postPromotionMigration Succeeded, task arn:aws:ecs:eu-west-1:123456789012:task/prod/abc'],
    ['Failed', { outcome: 'Failed' }, 'postPromotionMigration Failed)'],
    ['Skipped', { outcome: 'Skipped', releaseId: 'r1' }, 'postPromotionMigration Skipped)'],
  ] as const)('refuses with NothingToRollBack when the release to undo ran its contract migration (%s)', (_label, contract, named) => {
    // Prepare
    const records = [{ ...record('r4', 'Succeeded', td(4)), postPromotionMigration: contract }, record('r2', 'Succeeded', td(2))];

    // Act
    const act = (): unknown => chooseRollbackTarget(records, 'web', 'prod');

    // Assess
    expect(act).toThrow(NothingToRollBack);
    expect(act).toThrow(`web in prod: release r4 ran its contract migration (${named}`);
    expect(act).toThrow('rolling its code back to release r2 is unsafe');
  });

  it('rolls back past the contract migration when forced', () => {
    // Prepare
    const records = [{ ...record('r4', 'Succeeded', td(4)), postPromotionMigration: { outcome: 'Succeeded' as const, releaseId: 'r4' } }, record('r2', 'Succeeded', td(2))];

    // Act
    const choice = chooseRollbackTarget(records, 'web', 'prod', { force: true });

    // Assess
    expect(choice.newest.releaseId).toBe('r4');
    expect(choice.previous).toMatchObject({ releaseId: 'r2', toTaskDefinition: td(2) });
  });

  it.each([
    ['an empty ledger', [], 'no successful release'],
    ['a single success', [record('r1', 'Succeeded', td(1)), record('r0', 'RolledBack')], 'no earlier one to roll back to'],
    ['an earlier success without its task definition', [record('r2', 'Succeeded', td(2)), record('r1', 'Succeeded')], 'does not say which task definition release r1 deployed'],
  ])('throws NothingToRollBack naming what is missing for %s', (_label, records, message) => {
    // Act
    const act = (): unknown => chooseRollbackTarget(records, 'web', 'prod');

    // Assess
    expect(act).toThrow(NothingToRollBack);
    expect(act).toThrow(message);
  });
});

describe('Function: findRollbackTarget', () => {
  it('plans a release of the previous task definition, named after the rollback execution', async () => {
    // Prepare
    const fake = fakeAwsPorts();
    fake.ports.store.listReleases = async () => [record('r4', 'Succeeded', td(4)), record('r2', 'Succeeded', td(2))];

    // Act
    const plan = await findRollbackTarget({ input: { service: 'web', environment: 'prod', requestedBy: 'bob' }, executionName: 'rollback-web-prod-1' }, fake.ports);

    // Assess
    expect(plan.releaseInput).toEqual({ service: 'web', environment: 'prod', requestedBy: 'bob', rollbackTo: { taskDefinitionArn: td(2), fromReleaseId: 'r2', rollbackOf: 'r4' } });
    expect(plan.releaseExecutionName).toBe(rollbackReleaseExecutionName('web', 'prod', 'rollback-web-prod-1'));
  });

  it('refuses a rollback past a contract migration unless the input says force: true', async () => {
    // Prepare
    const fake = fakeAwsPorts();
    fake.ports.store.listReleases = async () => [{ ...record('r4', 'Succeeded', td(4)), postPromotionMigration: { outcome: 'Succeeded', releaseId: 'r4' } }, record('r2', 'Succeeded', td(2))];
    const input = { service: 'web', environment: 'prod', requestedBy: 'bob' };

    // Act
    const refused = findRollbackTarget({ input, executionName: 'rollback-web-prod-1' }, fake.ports);
    const forced = await findRollbackTarget({ input: { ...input, force: true }, executionName: 'rollback-web-prod-2' }, fake.ports);

    // Assess
    await expect(refused).rejects.toMatchObject({ name: 'NothingToRollBack', message: expect.stringContaining('release r4 ran its contract migration') });
    expect(forced.releaseInput).toEqual({ service: 'web', environment: 'prod', requestedBy: 'bob', rollbackTo: { taskDefinitionArn: td(2), fromReleaseId: 'r2', rollbackOf: 'r4' } });
  });

  it('refuses input that is not a rollback request, naming the field', async () => {
    // Act
    const act = findRollbackTarget({ input: { service: 'web', environment: 'prod', requestedBy: 'bob', image: 'web:v1' }, executionName: 'x' }, fakeAwsPorts().ports);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidReleaseInput', message: expect.stringContaining('invalid rollback input') });
  });
});

describe('Function: rollbackReleaseExecutionName', () => {
  it('stays within 80 characters and differs per rollback execution', () => {
    // Act
    const a = rollbackReleaseExecutionName('s'.repeat(64), 'e'.repeat(64), 'one');
    const b = rollbackReleaseExecutionName('s'.repeat(64), 'e'.repeat(64), 'two');

    // Assess
    expect(a.length).toBeLessThanOrEqual(80);
    expect(a).not.toBe(b);
    expect(rollbackExecutionName('s'.repeat(64), 'e'.repeat(64), new Date('2025-03-01T12:00:00.123Z')).length).toBeLessThanOrEqual(80);
  });
});
