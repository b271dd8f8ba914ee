import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { ExecutionAdapter } from '../adapters/ExecutionAdapter.ts';
import { MigrationTable } from '../adapters/MigrationTable.ts';
import { onTaskStopped, type OnTaskStoppedResult } from '../domain/onTaskStopped.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const store = new MigrationTable(DynamoDBDocumentClient.from(new DynamoDBClient({})));
const executions = new ExecutionAdapter(new SFNClient({}));

const lambdaHandler = async (event: unknown): Promise<OnTaskStoppedResult> => onTaskStopped(event, { store, executions }, new Date());

/** The Lambda behind the EventBridge rule on stopped migration tasks: answers the migration's task token. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
