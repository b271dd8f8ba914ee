import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { CachedParameterAdapter } from '../adapters/CachedParameterAdapter.ts';
import { SlackRequestTable } from '../adapters/SlackRequestTable.ts';
import { SlackWorkInvoker } from '../adapters/SlackWorkInvoker.ts';
import { answerSlackRequest } from '../domain/answerSlackRequest.ts';
import { decideSlackRequest } from '../domain/decideSlackRequest.ts';
import { parseSlackAllowList } from '../domain/slackAllowList.ts';
import { slackParameterNames } from '../domain/slackParameterNames.ts';
import { rawBodyOf } from '../middleware/rawBodyOf.ts';
import { headerOf, slackSignature } from '../middleware/slackSignature.ts';

const logger = new Logger({ serviceName: 'cutover' });
const environment = process.env.CUTOVER_ENVIRONMENT ?? '';
const names = slackParameterNames(environment);
const parameters = new CachedParameterAdapter(new SSMClient({}), { maxAgeSeconds: 300 });
const queue = new SlackWorkInvoker(process.env.SLACK_WORKER_FUNCTION_NAME ?? '', new LambdaClient({}));
const requests = new SlackRequestTable(process.env.TABLE_NAME ?? '', DynamoDBDocumentClient.from(new DynamoDBClient({})));

const lambdaHandler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const { allowList, problem } = parseSlackAllowList(await parameters.getParameter(names.allowed));
  if (problem) logger.error('nobody may act from Slack', { problem });
  const decision = decideSlackRequest(event.resource, rawBodyOf(event), { environment, allowList });
  if (decision.malformed) logger.warn('ignored a Slack request cutover does not understand', { reason: decision.malformed });
  if (decision.refused) logger.warn('refused a Slack action: the user is not on the allow-list', { ...decision.refused });
  // The signature middleware ran first: the header is there and verified.
  const signature = headerOf(event, 'X-Slack-Signature') ?? '';
  const { answer, queueError, replayed } = await answerSlackRequest(decision, queue, () => requests.claim(signature, Math.floor(Date.now() / 1000)));
  if (replayed) logger.warn('ignored a Slack request that was already handled (replayed or sent twice)', { userId: decision.work?.kind === 'act' ? decision.work.actor.userId : undefined });
  if (queueError) logger.error('could not queue Slack work', { errorName: (queueError as Error).name, errorMessage: (queueError as Error).message });
  else if (decision.work?.kind === 'act') logger.info('queued a Slack action', { action: decision.work.action, releaseService: decision.work.service, userId: decision.work.actor.userId });
  return answer;
};

/**
 * The Lambda behind `POST /slack/commands` and `POST /slack/interactions`: verifies Slack's signature first (401 and
 * nothing else otherwise), then authorizes and parses, queues the work for the Slack worker and answers within
 * Slack's three seconds.
 */
export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(slackSignature({ signingSecret: () => parameters.getParameter(names.signingSecret), logger }));
