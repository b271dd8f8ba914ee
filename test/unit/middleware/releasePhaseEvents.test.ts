import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBusAdapter } from '../../../lambdas/adapters/EventBusAdapter.ts';
import type { ReleaseEventPort } from '../../../lambdas/domain/releaseEventPort.ts';
import type { ReleasePhaseDetail } from '../../../lambdas/domain/releasePhaseEvent.ts';
import { releasePhaseEvents } from '../../../lambdas/middleware/releasePhaseEvents.ts';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';

const logger = new Logger({ serviceName: 'cutover', logLevel: 'SILENT' });
const release = { releaseId: 'web-prod-abc', service: 'web', environment: 'prod', requestedBy: 'alice', image: { imageUri: 'repo/web@sha256:abc' } };
const now = (): Date => new Date('2026-11-26T10:00:00.000Z');

function silentMetrics(): Metrics {
  const metrics = new Metrics({ namespace: 'cutover', serviceName: 'cutover' });
  vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
  return metrics;
}

describe('Function: releasePhaseEvents', () => {
  const eventBridge = mockClient(EventBridgeClient);

  afterEach(() => {
    eventBridge.reset();
  });

  it('announces WeightChanged after shiftTraffic succeeded', async () => {
    // Prepare
    const published: ReleasePhaseDetail[] = [];
    const publisher: ReleaseEventPort = { publishPhaseChange: async (detail) => void published.push(detail), publishReleaseSucceeded: async () => undefined };
    const handler = middy(async () => ({ index: 1, weight: 50, manual: false })).use(releasePhaseEvents('shiftTraffic', logger, { publisher, now }));

    // Act
    const result = await handler({ release }, lambdaContextFixture());

    // Assess
    expect(result).toEqual({ index: 1, weight: 50, manual: false });
    expect(published).toEqual([
      { phase: 'WeightChanged', releaseId: 'web-prod-abc', service: 'web', environment: 'prod', at: '2026-11-26T10:00:00.000Z', imageUri: 'repo/web@sha256:abc', requestedBy: 'alice', weight: 50, stepIndex: 1 },
    ]);
  });

  it('announces WaitingForPromotion only for a manual bake with a task token', async () => {
    // Prepare
    const published: ReleasePhaseDetail[] = [];
    const publisher: ReleaseEventPort = { publishPhaseChange: async (detail) => void published.push(detail), publishReleaseSucceeded: async () => undefined };
    const handler = middy(async () => ({ checkedAt: 'x', alarms: [] })).use(releasePhaseEvents('bake', logger, { publisher, now }));

    // Act
    await handler({ taskToken: 't', state: { release, step: { index: 2, weight: 50, manual: false } } }, lambdaContextFixture());
    await handler({ state: { release, step: { index: 2, weight: 50, manual: true } } }, lambdaContextFixture());
    await handler({ taskToken: 't', state: { release, step: { index: 2, weight: 50, manual: true } } }, lambdaContextFixture());

    // Assess
    expect(published.map((detail) => detail.phase)).toEqual(['WaitingForPromotion']);
  });

  it('publishes Release Succeeded next to the Succeeded phase of a release that succeeded cleanly', async () => {
    // Prepare
    const published: string[] = [];
    const publisher: ReleaseEventPort = {
      publishPhaseChange: async (detail) => void published.push(`phase:${detail.phase}`),
      publishReleaseSucceeded: async (detail) => void published.push(`succeeded:${detail.releaseId}@${detail.image.digest}`),
    };
    const handler = middy(async () => ({ outcome: 'Succeeded', releaseId: 'web-prod-abc' })).use(releasePhaseEvents('finalize', logger, { publisher, now }));

    // Act
    await handler({ release: { ...release, image: { imageUri: 'repo/web@sha256:abc', digest: 'sha256:abc' } } }, lambdaContextFixture());

    // Assess
    expect(published).toEqual(['phase:Succeeded', 'succeeded:web-prod-abc@sha256:abc']);
  });

  it('does not promote a release whose contract migration failed: the Succeeded phase carries the warning, no Release Succeeded', async () => {
    // Prepare
    const phases: ReleasePhaseDetail[] = [];
    const publisher = { publishPhaseChange: vi.fn(async (detail: ReleasePhaseDetail) => void phases.push(detail)), publishReleaseSucceeded: vi.fn<ReleaseEventPort['publishReleaseSucceeded']>() };
    const warning = 'postPromotionMigration failed (exit code 2). Traffic stays on the new colour';
    const handler = middy(async () => ({ outcome: 'Succeeded', releaseId: 'web-prod-abc', warning })).use(releasePhaseEvents('finalize', logger, { publisher, now }));

    // Act
    await handler({ release: { ...release, image: { imageUri: 'repo/web@sha256:abc', digest: 'sha256:abc' } } }, lambdaContextFixture());

    // Assess
    expect(phases).toEqual([expect.objectContaining({ phase: 'Succeeded', warning })]);
    expect(publisher.publishReleaseSucceeded).not.toHaveBeenCalled();
  });

  it('announces nothing when the handler throws', async () => {
    // Prepare
    const publisher = { publishPhaseChange: vi.fn<ReleaseEventPort['publishPhaseChange']>(), publishReleaseSucceeded: vi.fn<ReleaseEventPort['publishReleaseSucceeded']>() };
    const handler = middy(async () => {
      throw new Error('boom');
    }).use(releasePhaseEvents('finalize', logger, { publisher, now }));

    // Act
    const act = handler({ release }, lambdaContextFixture());

    // Assess
    await expect(act).rejects.toThrow('boom');
    expect(publisher.publishPhaseChange).not.toHaveBeenCalled();
  });

  it('returns the result and counts NotificationFailures when PutEvents refuses the event', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try later' }] });
    const metrics = silentMetrics();
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const publisher = new EventBusAdapter('default', new EventBridgeClient({}));
    const handler = middy(async () => ({ outcome: 'RolledBack', cause: 'AlarmFired: web-5xx' })).use(releasePhaseEvents('rollback', logger, { publisher, metrics, now }));

    // Act
    const result = await handler({ release }, lambdaContextFixture());

    // Assess
    expect(result).toEqual({ outcome: 'RolledBack', cause: 'AlarmFired: web-5xx' });
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({ EventBusName: 'default', Source: 'cutover', DetailType: 'Release Phase Changed' });
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({ phase: 'RolledBack', cause: 'AlarmFired: web-5xx' });
    expect(addMetric).toHaveBeenCalledWith('NotificationFailures', 'Count', 1);
  });

  it('never throws when PutEvents itself fails', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const metrics = silentMetrics();
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const handler = middy(async () => ({ error: 'Build', cause: 'x' })).use(
      releasePhaseEvents('failRelease', logger, { publisher: new EventBusAdapter('default', new EventBridgeClient({})), metrics, now }),
    );

    // Act
    const result = await handler({ release }, lambdaContextFixture());

    // Assess
    expect(result).toEqual({ error: 'Build', cause: 'x' });
    expect(addMetric).toHaveBeenCalledTimes(1);
  });
});
