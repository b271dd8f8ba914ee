import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import { ExecutionAdapter } from '../adapters/ExecutionAdapter.ts';
import { ParameterAdapter } from '../adapters/ParameterAdapter.ts';
import { ImagePushOutcome, onImagePushed, type OnImagePushedResult } from '../domain/onImagePushed.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const metrics = new Metrics({ namespace: 'cutover', serviceName: 'cutover' });
const ports = { parameters: new ParameterAdapter(new SSMClient({})), executions: new ExecutionAdapter(new SFNClient({})) };

function settings(): { environment: string; stateMachineArn: string } {
  const environment = process.env.CUTOVER_ENVIRONMENT ?? '';
  const stateMachineArn = process.env.STATE_MACHINE_ARN ?? '';
  if (environment === '' || stateMachineArn === '') {
    throw new Error('onImagePushed needs CUTOVER_ENVIRONMENT and STATE_MACHINE_ARN in its environment');
  }
  return { environment, stateMachineArn };
}

/** Logs and counts what the push did: one line per started or already started release, one per skipped configuration. */
function report(result: OnImagePushedResult, environment: string): void {
  metrics.addDimension('environment', environment);
  for (const skipped of result.skippedConfigs) {
    logger.warn('service configuration skipped', { parameterName: skipped.parameterName, reason: skipped.message });
    metrics.addMetric('ServiceConfigSkipped', MetricUnit.Count, 1);
  }
  const pushed = { repository: result.repository, tag: result.tag, digest: result.digest };
  if (result.outcome === ImagePushOutcome.Ignored) {
    logger.info('not a successful push, ignored', { reason: result.reason });
    metrics.addMetric('ImagePushIgnored', MetricUnit.Count, 1);
    return;
  }
  if (result.outcome === ImagePushOutcome.Unmatched) {
    logger.info('push matches no service, nothing to release', { ...pushed, reason: result.reason });
    metrics.addMetric('ImagePushUnmatched', MetricUnit.Count, 1);
    return;
  }
  metrics.addMetric('ImagePushReleased', MetricUnit.Count, 1);
  for (const release of result.releases) {
    logger.info(release.started ? 'release started' : 'release already started, nothing new', { ...pushed, releaseService: release.service, executionArn: release.executionArn });
    // Powertools reserves the `service` dimension for the Lambda's own service name, so the released one is `releaseService`.
    const single = metrics.singleMetric();
    single.addDimensions({ environment, releaseService: release.service });
    single.addMetric(release.started ? 'ReleasesStarted' : 'ReleasesAlreadyStarted', MetricUnit.Count, 1);
  }
}

const lambdaHandler = async (event: unknown): Promise<OnImagePushedResult> => {
  const current = settings();
  const result = await onImagePushed(event, ports, current);
  report(result, current.environment);
  return result;
};

/**
 * The Lambda behind the EventBridge rule on ECR pushes: starts one release per service whose trigger matches
 * (see {@link onImagePushed}). A malformed event fails with InvalidImagePushEvent, logged with its name.
 */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(releaseLogging(logger));
