import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { ParameterAdapter } from '../adapters/ParameterAdapter.ts';
import { checkReleasePolicy, type ReleasePolicyState } from '../domain/checkReleasePolicy.ts';
import { environmentSettingsParameterName, parseEnvironmentSettings } from '../domain/environmentSettings.ts';
import { InvalidEnvironmentSettings } from '../domain/errors.ts';
import type { ReleaseState } from '../domain/releaseState.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';

const logger = new Logger({ serviceName: 'cutover' });
const parameters = new ParameterAdapter();

const lambdaHandler = async (state: ReleaseState): Promise<ReleasePolicyState> => {
  const name = environmentSettingsParameterName(state.release.environment);
  // Read at the gate, not in Prepare: a freeze declared while a release is under way still holds it.
  const text = await parameters.getParameter(name);
  let raw: unknown;
  try {
    raw = text === undefined ? undefined : JSON.parse(text);
  } catch (error) {
    throw new InvalidEnvironmentSettings(`${name} is not valid JSON`, { cause: error });
  }
  return checkReleasePolicy(state, parseEnvironmentSettings(name, raw), new Date());
};

/** The CheckReleasePolicy state's Lambda: freeze windows and the approval policy, before any traffic moves. */
export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(releaseLogging(logger));
