import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { EcsAdapter } from '../adapters/EcsAdapter.ts';
import { MigrationTable } from '../adapters/MigrationTable.ts';
import { ReleaseTable } from '../adapters/ReleaseTable.ts';
import { finalizeRelease, type FinalizeResult } from '../domain/finalizeRelease.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { succeededMetrics } from '../domain/releaseMetrics.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';
import { releasePhaseEvents } from '../middleware/releasePhaseEvents.ts';
import { CUTOVER_METRICS_NAMESPACE, releaseMetrics } from '../middleware/releaseMetrics.ts';

const logger = new Logger({ serviceName: 'cutover' });
const metrics = new Metrics({ namespace: CUTOVER_METRICS_NAMESPACE, serviceName: 'cutover' });
const ecs = new EcsAdapter(new ECSClient({}));
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const store = new ReleaseTable(documentClient);
const migrations = { ecs, store: new MigrationTable(documentClient) };

const lambdaHandler = async (state: ReleaseState): Promise<FinalizeResult> => finalizeRelease(state, { ecs, store, migrations }, new Date());

/** The Finalize state's Lambda. */
export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(releaseLogging(logger))
  // The first Finalize of a release with a post-promotion migration records nothing yet: the second one counts it.
  .use(releaseMetrics(metrics, logger, (state: ReleaseState, result: FinalizeResult) => (result.postPromotionMigrationPending === true ? undefined : succeededMetrics(state.release, new Date()))))
  .use(releasePhaseEvents('finalize', logger));
