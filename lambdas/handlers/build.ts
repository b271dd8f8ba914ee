import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { EcsAdapter } from '../adapters/EcsAdapter.ts';
import { buildRelease } from '../domain/buildRelease.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const ports = { ecs: new EcsAdapter() };

const lambdaHandler = async (state: ReleaseState): Promise<{ taskDefinitionArn: string }> => buildRelease(state, ports);

/** The Build state's Lambda: registers the task definition with the release image (see {@link buildRelease}). */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
