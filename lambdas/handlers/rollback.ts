import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { EcsAdapter } from '../adapters/EcsAdapter.ts';
import { LoadBalancerAdapter } from '../adapters/LoadBalancerAdapter.ts';
import { ReleaseTable } from '../adapters/ReleaseTable.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { rollbackRelease, type RollbackResult } from '../domain/rollbackRelease.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const loadBalancer = new LoadBalancerAdapter(new ElasticLoadBalancingV2Client({}));
const ecs = new EcsAdapter(new ECSClient({}));
const store = new ReleaseTable(DynamoDBDocumentClient.from(new DynamoDBClient({})));

const lambdaHandler = async (state: ReleaseState): Promise<RollbackResult> => rollbackRelease(state, { loadBalancer, ecs, store }, new Date());

/** The Rollback state's Lambda. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
