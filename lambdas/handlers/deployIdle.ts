import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { EcsAdapter } from '../adapters/EcsAdapter.ts';
import { deployIdle } from '../domain/deployIdle.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const ports = { ecs: new EcsAdapter() };

const lambdaHandler = async (state: ReleaseState): Promise<{ readyDeadlineAt: string }> => deployIdle(state, ports, new Date());

/** The DeployIdle state's Lambda: deploys the new task definition to the idle colour (see {@link deployIdle}). */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
