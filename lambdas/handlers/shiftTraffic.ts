import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { LoadBalancerAdapter } from '../adapters/LoadBalancerAdapter.ts';
import type { ReleaseState, StepState } from '../domain/releaseState.ts';
import { shiftTraffic } from '../domain/shiftTraffic.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';
import { releasePhaseEvents } from '../middleware/releasePhaseEvents.ts';

const logger = new Logger({ serviceName: 'cutover' });
const loadBalancer = new LoadBalancerAdapter(new ElasticLoadBalancingV2Client({}));

const lambdaHandler = async (state: ReleaseState): Promise<StepState> => shiftTraffic(state, { loadBalancer });

/** The ShiftTraffic state's Lambda. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger)).use(releasePhaseEvents('shiftTraffic', logger));
