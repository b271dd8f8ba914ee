import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import { ExecutionAdapter } from '../adapters/ExecutionAdapter.ts';
import { ParameterAdapter } from '../adapters/ParameterAdapter.ts';
import { onPromotion, type OnPromotionResult, type OnPromotionSettings } from '../domain/onPromotion.ts';

const logger = new Logger({ serviceName: 'cutover' });
const ports = { parameters: new ParameterAdapter(new SSMClient({})), executions: new ExecutionAdapter(new SFNClient({})) };

function settings(): OnPromotionSettings {
  const environment = process.env.CUTOVER_ENVIRONMENT ?? '';
  const stateMachineArn = process.env.STATE_MACHINE_ARN ?? '';
  const promotedFrom = (process.env.PROMOTED_FROM ?? '').split(',').filter((name) => name !== '');
  if (environment === '' || stateMachineArn === '') throw new Error('onPromotion needs CUTOVER_ENVIRONMENT and STATE_MACHINE_ARN in its environment');
  return { environment, stateMachineArn, promotedFrom };
}

const lambdaHandler = async (event: unknown): Promise<OnPromotionResult> => {
  const result = await onPromotion(event, ports, settings());
  logger.info(result.outcome === 'released' ? 'promotion released' : 'promoted service is not configured here, nothing to release', { ...result });
  return result;
};

/** The promotion bus rule's Lambda: a Release Succeeded event of the previous environment → a release of the same digest here. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
