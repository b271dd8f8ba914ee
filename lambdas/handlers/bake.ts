import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { AlarmAdapter } from '../adapters/AlarmAdapter.ts';
import { ReleaseTable } from '../adapters/ReleaseTable.ts';
import { bake, type BakeResult } from '../domain/bake.ts';
import type { BakeEvent } from '../domain/releaseState.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';
import { releasePhaseEvents } from '../middleware/releasePhaseEvents.ts';

const logger = new Logger({ serviceName: 'cutover' });
const alarms = new AlarmAdapter(new CloudWatchClient({}));
const store = new ReleaseTable(DynamoDBDocumentClient.from(new DynamoDBClient({})));

const lambdaHandler = async (event: BakeEvent): Promise<BakeResult> => bake(event, { alarms, store }, new Date());

/** The Bake (waiting on a task token) and CheckAlarms (a one-off check) states' Lambda. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger)).use(releasePhaseEvents('bake', logger));
