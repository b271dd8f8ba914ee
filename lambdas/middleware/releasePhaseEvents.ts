import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj, Request } from '@middy/core';
import { EventBusAdapter } from '../adapters/EventBusAdapter.ts';
import type { ReleaseEventPort } from '../domain/releaseEventPort.ts';
import { type PhaseHandlerValue, releasePhaseDetailFor } from '../domain/releasePhaseDetailFor.ts';
import { ReleasePhase } from '../domain/releasePhaseEvent.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { releaseSucceededDetailFor } from '../domain/releaseSucceededEvent.ts';

/** Options of {@link releasePhaseEvents}. */
export interface ReleasePhaseEventsOptions {
  /** Where events go. @default an EventBusAdapter on `EVENT_BUS_NAME`; without that variable nothing is published (the sandbox) */
  readonly publisher?: ReleaseEventPort;
  /** Counts `NotificationFailures`. @default a Metrics in namespace `cutover` */
  readonly metrics?: Metrics;
  /** The clock. @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * A middy middleware that announces the release's phase (a `Release Phase Changed` event) after the handler
 * succeeded, and after a success without a warning the `Release Succeeded` event that promotes it. Publishing never fails or delays the release beyond one PutEvents call: an error is logged and counted
 * (`NotificationFailures`) and the handler's result is returned unchanged.
 */
export function releasePhaseEvents(handler: PhaseHandlerValue, logger: Logger, options: ReleasePhaseEventsOptions = {}): MiddlewareObj {
  const eventBusName = process.env.EVENT_BUS_NAME;
  const publisher = options.publisher ?? (eventBusName ? new EventBusAdapter(eventBusName) : undefined);
  const metrics = options.metrics ?? new Metrics({ namespace: 'cutover', serviceName: 'cutover' });
  const now = options.now ?? (() => new Date());
  const releasePhaseEventsAfter = async (request: Request): Promise<void> => {
    if (!publisher) return;
    try {
      const detail = releasePhaseDetailFor(handler, request.event, request.response, now());
      if (detail) await publisher.publishPhaseChange(detail);
      // The promotion path: the environment's rule forwards this event to the next environment's promotion bus. A
      // release whose contract migration failed (a `warning`) needs a human first: it is not promoted.
      if (detail?.phase === ReleasePhase.Succeeded && detail.warning === undefined) {
        const release = (request.event as Partial<ReleaseState> | undefined)?.release;
        const succeeded = release === undefined ? undefined : releaseSucceededDetailFor(release, now());
        if (succeeded) await publisher.publishReleaseSucceeded(succeeded);
      }
    } catch (error) {
      logger.warn('could not announce the release phase', { errorName: (error as Error).name, errorMessage: (error as Error).message });
      try {
        metrics.addMetric('NotificationFailures', MetricUnit.Count, 1);
        metrics.publishStoredMetrics();
      } catch {
        // Counting is best effort too.
      }
    }
  };
  return { after: releasePhaseEventsAfter };
}
