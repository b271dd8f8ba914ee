import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { HttpAdapter } from '../adapters/HttpAdapter.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { runSmokeTests, type RunSmokeTestsResult } from '../domain/runSmokeTests.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const http = new HttpAdapter();

const lambdaHandler = async (state: ReleaseState): Promise<RunSmokeTestsResult> => runSmokeTests(state, { http });

/** The RunSmokeTests state's Lambda. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
