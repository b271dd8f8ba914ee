import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { EcsAdapter } from '../adapters/EcsAdapter.ts';
import { LoadBalancerAdapter } from '../adapters/LoadBalancerAdapter.ts';
import { checkIdleReady, type IdleReadiness } from '../domain/checkIdleReady.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const ports = { ecs: new EcsAdapter(), loadBalancer: new LoadBalancerAdapter() };

const lambdaHandler = async (state: ReleaseState): Promise<IdleReadiness> => checkIdleReady(state, ports, new Date());

/** The CheckIdleReady state's Lambda: judges whether the idle colour can take traffic (see {@link checkIdleReady}). */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
