import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { ParameterAdapter } from '../adapters/ParameterAdapter.ts';
import { checkReleasePolicy, type ReleasePolicyState } from '../domain/checkReleasePolicy.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const parameters = new ParameterAdapter();

const lambdaHandler = async (state: ReleaseState): Promise<ReleasePolicyState> => checkReleasePolicy(state, { parameters }, new Date());

/** The CheckReleasePolicy state's Lambda: freeze windows and the approval policy, before the migration and any traffic. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
