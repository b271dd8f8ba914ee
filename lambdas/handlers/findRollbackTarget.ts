import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { ExecutionAdapter } from '../adapters/ExecutionAdapter.ts';
import { ReleaseTable } from '../adapters/ReleaseTable.ts';
import { findRollbackTarget, type FindRollbackTargetEvent, type RollbackPlan } from '../domain/findRollbackTarget.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const store = new ReleaseTable(DynamoDBDocumentClient.from(new DynamoDBClient({})));
const executions = new ExecutionAdapter(new SFNClient({}));
const options = process.env.CUTOVER_ENVIRONMENT === undefined ? {} : { controlPlaneEnvironment: process.env.CUTOVER_ENVIRONMENT };

const lambdaHandler = async (event: FindRollbackTargetEvent): Promise<RollbackPlan> => findRollbackTarget(event, { store, executions }, options);

/** The rollback machine's FindRollbackTarget state: reads the lock and the ledger, plans the rollback release (see {@link findRollbackTarget}). */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
