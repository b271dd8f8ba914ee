import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { CachedParameterAdapter } from '../adapters/CachedParameterAdapter.ts';
import { SlackMessageTable } from '../adapters/SlackMessageTable.ts';
import { SlackWebApi } from '../adapters/SlackWebApi.ts';
import { notifyReleasePhase, type NotifyResult } from '../domain/notifyReleasePhase.ts';
import { releasePhaseDetailSchema } from '../domain/releasePhaseEvent.ts';
import { slackParameterNames } from '../domain/slackParameterNames.ts';

const logger = new Logger({ serviceName: 'cutover' });
const metrics = new Metrics({ namespace: 'cutover', serviceName: 'cutover' });
const names = slackParameterNames(process.env.CUTOVER_ENVIRONMENT ?? '');
// Secrets for a minute or five; service configurations for a minute, so a new channel is picked up soon.
const secrets = new CachedParameterAdapter(new SSMClient({}), { maxAgeSeconds: 300 });
const parameters = new CachedParameterAdapter(new SSMClient({}), { maxAgeSeconds: 60 });
const chat = new SlackWebApi({ botToken: () => secrets.getParameter(names.botToken) });
const messages = new SlackMessageTable(process.env.TABLE_NAME ?? '', DynamoDBDocumentClient.from(new DynamoDBClient({})));

const lambdaHandler = async (event: { readonly detail?: unknown }): Promise<NotifyResult> => {
  const parsed = releasePhaseDetailSchema.safeParse(event?.detail);
  const result: NotifyResult = parsed.success
    ? await notifyReleasePhase(parsed.data, { parameters, chat, messages })
    : { outcome: 'failed', reason: 'the event is not a Release Phase Changed event' };
  if (result.outcome === 'failed') {
    logger.warn('could not notify Slack', { reason: result.reason });
    metrics.addMetric('NotificationFailures', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  } else {
    logger.info('notified Slack', { outcome: result.outcome });
  }
  return result;
};

/** The Lambda behind the EventBridge rule on `Release Phase Changed`: posts and updates the release's Slack message. Never throws. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
