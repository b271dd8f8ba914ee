import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { EcsAdapter } from '../adapters/EcsAdapter.ts';
import { ExecutionAdapter } from '../adapters/ExecutionAdapter.ts';
import { MigrationTable } from '../adapters/MigrationTable.ts';
import type { MigrationEvent } from '../domain/releaseState.ts';
import { runMigration, type RunMigrationOutcome } from '../domain/runMigration.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const ecs = new EcsAdapter(new ECSClient({}));
const store = new MigrationTable(DynamoDBDocumentClient.from(new DynamoDBClient({})));
const executions = new ExecutionAdapter(new SFNClient({}));

const lambdaHandler = async (event: MigrationEvent): Promise<RunMigrationOutcome> => runMigration(event, { ecs, store, executions }, new Date(), randomUUID());

/** The RunMigration and RunPostPromotionMigration states' Lambda (`.waitForTaskToken`): starts the migration task. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
