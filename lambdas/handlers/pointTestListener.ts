import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { LoadBalancerAdapter } from '../adapters/LoadBalancerAdapter.ts';
import { pointTestListener } from '../domain/pointTestListener.ts';
import type { ReleaseState, TestListenerState } from '../domain/releaseState.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const loadBalancer = new LoadBalancerAdapter(new ElasticLoadBalancingV2Client({}));

const lambdaHandler = async (state: ReleaseState): Promise<TestListenerState> => pointTestListener(state, { loadBalancer });

/** The PointTestListener state's Lambda. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
