import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj, Request } from '@middy/core';
import type { ReleaseMeasurement } from '../domain/releaseMetrics.ts';

/** The namespace of cutover's own metrics; lib/ControlPlaneMonitoring.ts reads them from it. */
export const CUTOVER_METRICS_NAMESPACE = 'cutover';

/** Turns an invocation's event and response into its data points (a pure function of lambdas/domain/releaseMetrics.ts). */
export type MeasureRelease<TEvent, TResult> = (event: TEvent, response: TResult) => ReleaseMeasurement | undefined;

/**
 * A middy middleware that publishes the data points `measure` derives from a successful invocation as CloudWatch
 * embedded metrics, with the dimensions `environment` and `releaseService` (Powertools reserves `service` for the
 * function's own service, `cutover`). A failed invocation publishes nothing: its Task state is retried or caught.
 * Publishing never fails the handler: a rollback that worked must not be reported as failed for a metric.
 */
export function releaseMetrics<TEvent, TResult>(metrics: Metrics, logger: Logger, measure: MeasureRelease<TEvent, TResult>): MiddlewareObj<TEvent, TResult> {
  const releaseMetricsAfter = (request: Request<TEvent, TResult>): void => {
    try {
      const measurement = measure(request.event, request.response as TResult);
      if (measurement === undefined || measurement.metrics.length === 0) return;
      metrics.addDimension('environment', measurement.environment);
      metrics.addDimension('releaseService', measurement.service);
      for (const { name, unit, value } of measurement.metrics) {
        metrics.addMetric(name, unit === 'Seconds' ? MetricUnit.Seconds : MetricUnit.Count, value);
      }
      metrics.publishStoredMetrics();
    } catch (error) {
      metrics.clearDimensions();
      logger.warn('could not publish release metrics', { errorName: (error as Error).name, errorMessage: (error as Error).message });
    }
  };
  return { after: releaseMetricsAfter };
}
