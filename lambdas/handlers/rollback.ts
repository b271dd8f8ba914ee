import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { EcsAdapter } from '../adapters/EcsAdapter.ts';
import { LoadBalancerAdapter } from '../adapters/LoadBalancerAdapter.ts';
import { ReleaseTable } from '../adapters/ReleaseTable.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { rollbackRelease, type RollbackResult } from '../domain/rollbackRelease.ts';
import { rolledBackMetrics } from '../domain/releaseMetrics.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';
import { releasePhaseEvents } from '../middleware/releasePhaseEvents.ts';
import { CUTOVER_METRICS_NAMESPACE, releaseMetrics } from '../middleware/releaseMetrics.ts';

const logger = new Logger({ serviceName: 'cutover' });
const metrics = new Metrics({ namespace: CUTOVER_METRICS_NAMESPACE, serviceName: 'cutover' });
const loadBalancer = new LoadBalancerAdapter(new ElasticLoadBalancingV2Client({}));
const ecs = new EcsAdapter(new ECSClient({}));
const store = new ReleaseTable(DynamoDBDocumentClient.from(new DynamoDBClient({})));

const lambdaHandler = async (state: ReleaseState): Promise<RollbackResult> => rollbackRelease(state, { loadBalancer, ecs, store }, new Date(), () => new Date());

/** The Rollback state's Lambda. */
export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(releaseLogging(logger))
  .use(releaseMetrics(metrics, logger, (state: ReleaseState, result: RollbackResult) => rolledBackMetrics(state, result.weightsRestoredAt === undefined ? undefined : new Date(result.weightsRestoredAt))))
  .use(releasePhaseEvents('rollback', logger));
