import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { ExecutionAdapter } from '../adapters/ExecutionAdapter.ts';
import { ParameterAdapter } from '../adapters/ParameterAdapter.ts';
import { ReleaseTable } from '../adapters/ReleaseTable.ts';
import { inspectLocks, type LockInspection } from '../domain/inspectLocks.ts';
import { CUTOVER_METRICS_NAMESPACE } from '../middleware/releaseMetrics.ts';

const logger = new Logger({ serviceName: 'cutover' });
const metrics = new Metrics({ namespace: CUTOVER_METRICS_NAMESPACE, serviceName: 'cutover' });
const ports = { parameters: new ParameterAdapter(), store: new ReleaseTable(), executions: new ExecutionAdapter() };
const environment = process.env.CUTOVER_ENVIRONMENT ?? '';

const lambdaHandler = async (): Promise<LockInspection> => {
  const inspection = await inspectLocks(ports, environment, new Date());
  for (const lock of inspection.locks.filter((held) => held.stale)) {
    logger.warn('release lock held by an execution that no longer runs', { ...lock });
  }
  // Published on every run, 0 included: the alarms treat a missing data point as a watchdog that did not run.
  metrics.addDimension('environment', environment);
  metrics.addMetric('HeldLocks', MetricUnit.Count, inspection.heldLocks);
  metrics.addMetric('OldestLockAgeSeconds', MetricUnit.Seconds, inspection.oldestLockAgeSeconds);
  metrics.addMetric('StaleLocks', MetricUnit.Count, inspection.staleLocks);
  metrics.publishStoredMetrics();
  return inspection;
};

/** The scheduled lock watchdog: publishes HeldLocks, OldestLockAgeSeconds and StaleLocks (see {@link inspectLocks}). */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
