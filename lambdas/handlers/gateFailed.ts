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
import { MigrationTable } from '../adapters/MigrationTable.ts';
import { ReleaseTable } from '../adapters/ReleaseTable.ts';
import { gateFailed, type GateFailedResult } from '../domain/gateFailed.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { gateFailedMetrics } from '../domain/releaseMetrics.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';
import { CUTOVER_METRICS_NAMESPACE, releaseMetrics } from '../middleware/releaseMetrics.ts';
import { releasePhaseEvents } from '../middleware/releasePhaseEvents.ts';

const logger = new Logger({ serviceName: 'cutover' });
const metrics = new Metrics({ namespace: CUTOVER_METRICS_NAMESPACE, serviceName: 'cutover' });
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ecs = new EcsAdapter(new ECSClient({}));
const loadBalancer = new LoadBalancerAdapter(new ElasticLoadBalancingV2Client({}));
const store = new ReleaseTable(documentClient);
const migrations = new MigrationTable(documentClient);

const lambdaHandler = async (state: ReleaseState): Promise<GateFailedResult> => gateFailed(state, { ecs, loadBalancer, store, migrations }, new Date());

/** The GateFailed state's Lambda. */
export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(releaseLogging(logger))
  .use(releaseMetrics(metrics, logger, (state: ReleaseState, result: GateFailedResult) => gateFailedMetrics(state.release, result.error)))
  .use(releasePhaseEvents('gateFailed', logger));
