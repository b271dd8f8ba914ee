import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { EcsAdapter } from '../adapters/EcsAdapter.ts';
import { LoadBalancerAdapter } from '../adapters/LoadBalancerAdapter.ts';
import { MigrationTable } from '../adapters/MigrationTable.ts';
import { ReleaseTable } from '../adapters/ReleaseTable.ts';
import { gateFailed, type GateFailedResult } from '../domain/gateFailed.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ecs = new EcsAdapter(new ECSClient({}));
const loadBalancer = new LoadBalancerAdapter(new ElasticLoadBalancingV2Client({}));
const store = new ReleaseTable(documentClient);
const migrations = new MigrationTable(documentClient);

const lambdaHandler = async (state: ReleaseState): Promise<GateFailedResult> => gateFailed(state, { ecs, loadBalancer, store, migrations }, new Date());

/** The GateFailed state's Lambda. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
