import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { AlarmAdapter } from '../adapters/AlarmAdapter.ts';
import { EcrAdapter } from '../adapters/EcrAdapter.ts';
import { EcsAdapter } from '../adapters/EcsAdapter.ts';
import { ExecutionAdapter } from '../adapters/ExecutionAdapter.ts';
import { LoadBalancerAdapter } from '../adapters/LoadBalancerAdapter.ts';
import { ParameterAdapter } from '../adapters/ParameterAdapter.ts';
import { ReleaseTable } from '../adapters/ReleaseTable.ts';
import { prepareRelease, type PrepareReleasePorts } from '../domain/prepareRelease.ts';
import type { ReleasePlan } from '../domain/describeReleasePlan.ts';
import type { PrepareEvent, ReleaseContext } from '../domain/releaseState.ts';
import { preparedMetrics } from '../domain/releaseMetrics.ts';
import { releaseLogging } from '../middleware/releaseLogging.ts';
import { releasePhaseEvents } from '../middleware/releasePhaseEvents.ts';
import { CUTOVER_METRICS_NAMESPACE, releaseMetrics } from '../middleware/releaseMetrics.ts';

const logger = new Logger({ serviceName: 'cutover' });
const metrics = new Metrics({ namespace: CUTOVER_METRICS_NAMESPACE, serviceName: 'cutover' });
const ports: PrepareReleasePorts = {
  parameters: new ParameterAdapter(),
  loadBalancer: new LoadBalancerAdapter(),
  ecs: new EcsAdapter(),
  alarms: new AlarmAdapter(),
  store: new ReleaseTable(),
  executions: new ExecutionAdapter(),
  ecr: new EcrAdapter(),
};

const options = process.env.CUTOVER_ENVIRONMENT === undefined ? {} : { controlPlaneEnvironment: process.env.CUTOVER_ENVIRONMENT };

const lambdaHandler = async (event: PrepareEvent): Promise<{ release: ReleaseContext; plan?: ReleasePlan }> => prepareRelease(event, ports, new Date(), options);

/** The Prepare state's Lambda: validates the release and takes the service's lock (see {@link prepareRelease}). */
export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(releaseLogging(logger))
  .use(releaseMetrics(metrics, logger, (_event: PrepareEvent, response: { release: ReleaseContext }) => preparedMetrics(response.release)))
  .use(releasePhaseEvents('prepare', logger));
