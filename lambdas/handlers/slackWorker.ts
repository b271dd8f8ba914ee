import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { ApprovalTable } from '../adapters/ApprovalTable.ts';
import { ExecutionAdapter } from '../adapters/ExecutionAdapter.ts';
import { ReleaseTable } from '../adapters/ReleaseTable.ts';
import { SlackWebApi } from '../adapters/SlackWebApi.ts';
import { InvalidSlackWork } from '../domain/errors.ts';
import { formatZodIssues } from '../domain/formatZodIssues.ts';
import { runSlackWork, type SlackWorkResult } from '../domain/runSlackWork.ts';
import { slackWorkSchema } from '../domain/slackWork.ts';

const logger = new Logger({ serviceName: 'cutover' });
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const store = new ReleaseTable(documentClient);
const approvals = new ApprovalTable(documentClient);
const executions = new ExecutionAdapter(new SFNClient({}));
const responder = new SlackWebApi();

const lambdaHandler = async (event: unknown): Promise<SlackWorkResult> => {
  const parsed = slackWorkSchema.safeParse(event);
  if (!parsed.success) throw new InvalidSlackWork(formatZodIssues(parsed.error.issues));
  // Read per invocation: the stack sets it; without it `rollback` acts on running releases only.
  const rollbackStateMachineArn = process.env.ROLLBACK_STATE_MACHINE_ARN ?? '';
  const rollback = rollbackStateMachineArn === '' ? {} : { rollback: { starter: executions, stateMachineArn: rollbackStateMachineArn } };
  const result = await runSlackWork(parsed.data, { store, executions, responder, approvals, ...rollback }, new Date());
  logger.info('ran Slack work', { kind: parsed.data.kind, acted: result.acted, delivered: result.delivered });
  return result;
};

/** The Slack worker, invoked asynchronously by the Slack endpoint: runs the action and reports through `response_url`. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
