import { beforeEach, describe, expect, it } from 'vitest';
import { buildRelease } from '../../../lambdas/domain/buildRelease.ts';
import type { EcsServiceView, LockRecord } from '../../../lambdas/domain/ports.ts';
import { prepareRelease, type PrepareReleasePorts } from '../../../lambdas/domain/prepareRelease.ts';
import type { PrepareEvent } from '../../../lambdas/domain/releaseState.ts';
import { fakeAwsPorts } from '../../support/fakeAwsPorts.ts';

const NOW = new Date('2025-03-01T12:00:05.000Z');
const DIGEST = `sha256:${'c'.repeat(64)}`;
const RULE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/0123456789abcdef/0123456789abcdef/0123456789abcdef';
const BLUE_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-blue/0123456789abcdef';
const GREEN_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-green/fedcba9876543210';
const LIVE_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:7';
const PREVIOUS_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:5';
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@${DIGEST}`;

const config = {
  cluster: 'main',
  containerName: 'app',
  blue: { serviceName: 'orders-blue', targetGroupArn: BLUE_TG },
  green: { serviceName: 'orders-green', targetGroupArn: GREEN_TG },
  productionListenerRuleArn: RULE,
  alarmNames: ['orders-5xx'],
  onBusy: 'queue',
  migration: { command: ['npm', 'run', 'migrate'], timeoutSeconds: 600 },
  smokeTests: [{ name: 'health', url: 'http://test.internal/health', expectStatus: 200 }],
};

const rollbackTo = { taskDefinitionArn: PREVIOUS_TD, fromReleaseId: 'rel-5', rollbackOf: 'rel-7', reason: 'error rate' };
const event: PrepareEvent = {
  input: { service: 'orders', environment: 'prod', rollbackTo, requestedBy: 'slack:U1 (alice)' },
  executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:cutover-release:orders-prod-rollback-1',
  executionName: 'orders-prod-rollback-1',
  startTime: '2025-03-01T12:00:00.000Z',
};

function aService(serviceName: string, taskDefinition: string, desiredCount: number): EcsServiceView {
  return { serviceName, serviceArn: `arn:aws:ecs:eu-west-1:123456789012:service/main/${serviceName}`, status: 'ACTIVE', taskDefinition, desiredCount, runningCount: desiredCount, pendingCount: 0, deployments: [] };
}

function taskDefinition(image: string, extra: Record<string, unknown> = {}): { taskDefinition: Record<string, unknown> } {
  return { taskDefinition: { family: 'orders', revision: 5, status: 'ACTIVE', containerDefinitions: [{ name: 'app', image }, { name: 'sidecar', image: 'envoy:v1' }], ...extra } };
}

describe('Function: prepareRelease (rollbackTo)', () => {
  let fake: ReturnType<typeof fakeAwsPorts>;
  let ports: PrepareReleasePorts;

  beforeEach(() => {
    fake = fakeAwsPorts();
    ports = { ...fake.ports, ecr: { findImageDigest: async () => undefined } };
    fake.ports.store.listReleases = async () => [];
    fake.aws.parameterValues.set('/cutover/prod/services/orders', JSON.stringify(config));
    fake.aws.rules.set(RULE, { ruleArn: RULE, targetGroups: [{ targetGroupArn: BLUE_TG, weight: 0 }, { targetGroupArn: GREEN_TG, weight: 100 }] });
    fake.aws.services.set('orders-blue', aService('orders-blue', LIVE_TD, 0));
    fake.aws.services.set('orders-green', aService('orders-green', LIVE_TD, 4));
    fake.aws.alarmStates.set('orders-5xx', { alarmName: 'orders-5xx', stateValue: 'OK' });
    fake.aws.taskDefinitions.set(PREVIOUS_TD, taskDefinition(IMAGE));
  });

  it('releases the earlier task definition all at once, with its pinned image, without gates, marked as a rollback in the ledger', async () => {
    // Act
    const { release } = await prepareRelease(event, ports, NOW);

    // Assess
    expect(release.image).toEqual({ repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders', digest: DIGEST, imageUri: IMAGE });
    expect(release.steps).toEqual([{ setWeight: 100 }]);
    expect(release.plan).toEqual([{ weight: 100, bakeSeconds: 300, manual: false }]);
    expect(release.rollback).toEqual({ taskDefinitionArn: PREVIOUS_TD, fromReleaseId: 'rel-5', rollbackOf: 'rel-7', reason: 'error rate' });
    expect(release.migration).toBeUndefined();
    expect(release.smokeTests).toBeUndefined();
    expect(fake.calls.acquireLock[0]?.ledger).toMatchObject({
      kind: 'rollback',
      rollbackOf: 'rel-7',
      rollbackTo: { releaseId: 'rel-5', taskDefinitionArn: PREVIOUS_TD },
      reason: 'error rate',
      requestedBy: 'slack:U1 (alice)',
      imageDigest: DIGEST,
    });
  });

  it('makes Build reuse the earlier task definition instead of registering one', async () => {
    // Prepare
    const { release } = await prepareRelease(event, ports, NOW);

    // Act
    const built = await buildRelease({ release }, { ecs: ports.ecs });

    // Assess
    expect(built).toEqual({ taskDefinitionArn: PREVIOUS_TD });
    expect(fake.calls.registered).toEqual([]);
  });

  it('refuses at once, never queueing, while a running release holds the lock', async () => {
    // Prepare
    const holder: LockRecord = { service: 'orders', environment: 'prod', releaseId: 'rel-8', executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:cutover-release:rel-8', acquiredAt: '2025-03-01T11:00:00.000Z' };
    fake.aws.locks.set('prod#orders', holder);
    fake.aws.executionStatuses.set(holder.executionArn, 'RUNNING');

    // Act
    const act = prepareRelease(event, ports, NOW);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'ConcurrentReleaseError' });
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it.each([
    ['a task definition that does not exist', () => fake.aws.taskDefinitions.delete(PREVIOUS_TD), `no task definition ${PREVIOUS_TD}`],
    ['an INACTIVE task definition', () => fake.aws.taskDefinitions.set(PREVIOUS_TD, taskDefinition(IMAGE, { status: 'INACTIVE' })), 'is INACTIVE'],
    ['an image pinned by tag only', () => fake.aws.taskDefinitions.set(PREVIOUS_TD, taskDefinition('orders:v5')), 'not pinned by digest'],
    ['a task definition without the service container', () => fake.aws.taskDefinitions.set(PREVIOUS_TD, { taskDefinition: { family: 'orders', containerDefinitions: [] } }), 'has no container app'],
  ])('refuses %s with InvalidReleaseInput naming rollbackTo.taskDefinitionArn, and takes no lock', async (_label, arrange, message) => {
    // Prepare
    arrange();

    // Act
    const act = prepareRelease(event, ports, NOW);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidReleaseInput', message: expect.stringContaining('rollbackTo.taskDefinitionArn') });
    await expect(act).rejects.toMatchObject({ message: expect.stringContaining(message) });
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('refuses a task definition of another family than the live one', async () => {
    // Prepare
    const other = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/payments:3';
    fake.aws.taskDefinitions.set(other, taskDefinition(IMAGE));

    // Act
    const act = prepareRelease({ ...event, input: { ...(event.input as object), rollbackTo: { ...rollbackTo, taskDefinitionArn: other } } }, ports, NOW);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidReleaseInput', message: expect.stringContaining('is of family payments') });
    expect(fake.calls.acquireLock).toHaveLength(0);
  });
});
