import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { ApprovalTable } from '../adapters/ApprovalTable.ts';
import { ParkedGateTable } from '../adapters/ParkedGateTable.ts';
import { type ApprovalEvent, requestApproval } from '../domain/approval.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';
import { releasePhaseEvents } from '../middleware/releasePhaseEvents.ts';

const logger = new Logger({ serviceName: 'cutover' });
const approvals = new ApprovalTable();
const gates = new ParkedGateTable();

const lambdaHandler = async (event: ApprovalEvent): Promise<{ readonly releaseId: string; readonly expiresAt: string }> => {
  const record = await requestApproval(event, { approvals, gates }, new Date());
  logger.info('awaiting approval', { service: record.service, environment: record.environment, releaseId: record.releaseId, expiresAt: record.expiresAt });
  return { releaseId: record.releaseId, expiresAt: record.expiresAt };
};

/**
 * The AwaitApproval state's Lambda: stores the task token that `cutover approve|reject` (or a Slack Approve / Reject
 * button) answers and `cutover abort` fails, and announces WaitingForApproval.
 */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger)).use(releasePhaseEvents('requestApproval', logger));
