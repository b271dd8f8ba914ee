import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { ParkedGateTable } from '../adapters/ParkedGateTable.ts';
import { awaitFreezeEnd, type FreezeWaitEvent } from '../domain/awaitFreezeEnd.ts';
import type { ParkedGate } from '../domain/ports.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const gates = new ParkedGateTable();

const lambdaHandler = async (event: FreezeWaitEvent): Promise<Omit<ParkedGate, 'taskToken'>> => {
  const parked = await awaitFreezeEnd(event, { gates }, new Date());
  logger.info('parked at the freeze gate', { until: parked.until, reason: parked.reason });
  return parked;
};

/** The WaitForFreezeEnd state's Lambda: parks the release at the freeze gate, where `cutover abort` can end it. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
