import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { ReleaseTable } from '../adapters/ReleaseTable.ts';
import { failRelease, type FailReleaseResult } from '../domain/failRelease.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { failedMetrics } from '../domain/releaseMetrics.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';
import { releasePhaseEvents } from '../middleware/releasePhaseEvents.ts';
import { CUTOVER_METRICS_NAMESPACE, releaseMetrics } from '../middleware/releaseMetrics.ts';

const logger = new Logger({ serviceName: 'cutover' });
const metrics = new Metrics({ namespace: CUTOVER_METRICS_NAMESPACE, serviceName: 'cutover' });
const store = new ReleaseTable(DynamoDBDocumentClient.from(new DynamoDBClient({})));

const lambdaHandler = async (state: ReleaseState): Promise<FailReleaseResult> => failRelease(state, { store }, new Date());

/** The ReleaseFailed state's Lambda. */
export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(releaseLogging(logger))
  .use(releaseMetrics(metrics, logger, (state: ReleaseState) => failedMetrics(state.release)))
  .use(releasePhaseEvents('failRelease', logger));
