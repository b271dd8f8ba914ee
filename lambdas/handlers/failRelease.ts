import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { ReleaseTable } from '../adapters/ReleaseTable.ts';
import { failRelease, type FailReleaseResult } from '../domain/failRelease.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const store = new ReleaseTable(DynamoDBDocumentClient.from(new DynamoDBClient({})));

const lambdaHandler = async (state: ReleaseState): Promise<FailReleaseResult> => failRelease(state, { store }, new Date());

/** The ReleaseFailed state's Lambda. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
