import * as z from 'zod';
import { ecrRepositoryLocationOf } from './ecrRepositoryLocationOf.ts';
import { InvalidPromotionEvent, PromotionImageRefused } from './errors.ts';
import { formatZodIssues } from './formatZodIssues.ts';
import type { ExecutionStarterPort, ParameterPort } from './ports.ts';
import { releaseExecutionName } from './releaseExecutionName.ts';
import { RELEASE_SUCCEEDED_EVENT, releaseSucceededDetailSchema } from './releaseSucceededEvent.ts';
import { parseServiceConfig, serviceConfigParameterName, type ServiceConfig } from './serviceConfig.ts';

const promotionEventSchema = z.object({
  source: z.literal(RELEASE_SUCCEEDED_EVENT.source),
  'detail-type': z.literal(RELEASE_SUCCEEDED_EVENT.detailType),
  detail: releaseSucceededDetailSchema,
});

/** What `onPromotion` did. */
export const PromotionOutcome = {
  /** A release of the same digest was started in this environment (or had been started already). */
  Released: 'released',
  /** The service has no configuration in this environment: nothing to promote to. */
  Unconfigured: 'unconfigured',
} as const;
/** One outcome. */
export type PromotionOutcomeValue = (typeof PromotionOutcome)[keyof typeof PromotionOutcome];

/** What `onPromotion` did. */
export interface OnPromotionResult {
  readonly outcome: PromotionOutcomeValue;
  readonly service: string;
  readonly digest: string;
  readonly from: { readonly environment: string; readonly releaseId: string };
  readonly executionName?: string;
  readonly executionArn?: string;
  /** False when an execution of that name already existed (a repeated event, or the digest already released here). */
  readonly started?: boolean;
}

/** This environment, its state machine, and the environments allowed to promote into it. */
export interface OnPromotionSettings {
  readonly environment: string;
  readonly stateMachineArn: string;
  /** The environments whose `promoteTo` is this one. */
  readonly promotedFrom: readonly string[];
}

/** The ports `onPromotion` uses: it reads one service configuration and starts one execution. */
export interface OnPromotionPorts {
  readonly parameters: ParameterPort;
  readonly executions: ExecutionStarterPort;
}

/** The account and region of a state machine ARN (`arn:<partition>:states:<region>:<account>:stateMachine:<name>`). */
function registryOf(stateMachineArn: string): { readonly registryId: string; readonly region: string } | undefined {
  const [, , service, region, account] = stateMachineArn.split(':');
  return service === 'states' && region !== undefined && account !== undefined && region !== '' && account !== '' ? { registryId: account, region } : undefined;
}

/**
 * Throws {@link PromotionImageRefused} unless the service releases images from `repository`: one of its
 * `promotionRepositories` exactly or, without them, one of its triggers' repositories in this environment's own
 * registry (the account and region of its state machine).
 */
function assertRepositoryReleased(repository: string, config: ServiceConfig, service: string, settings: OnPromotionSettings): void {
  if (config.promotionRepositories !== undefined) {
    if (config.promotionRepositories.includes(repository)) return;
    throw new PromotionImageRefused(
      `detail.image.repository: ${service} in ${settings.environment} releases promotions only from ${config.promotionRepositories.join(', ')} (promotionRepositories), not ${repository}`,
    );
  }
  const location = ecrRepositoryLocationOf(repository);
  const own = registryOf(settings.stateMachineArn);
  const inOwnRegistry = location !== undefined && own !== undefined && (location.registryId === undefined || (location.registryId === own.registryId && location.region === own.region));
  if (inOwnRegistry && config.triggers.some((trigger) => trigger.repository === location.repositoryName)) return;
  const allowed = config.triggers.map((trigger) => trigger.repository);
  throw new PromotionImageRefused(
    `detail.image.repository: ${service} in ${settings.environment} releases promotions only from its triggers' repositories in account ${own?.registryId ?? '?'} ` +
      `${own?.region ?? '?'} (${allowed.join(', ') || 'none'}), not ${repository}; list the repository in promotionRepositories to promote from it`,
  );
}

/**
 * Handles a `Release Succeeded` event forwarded from the previous environment: starts a release of the **same digest**
 * (never a tag, never a rebuild) of the same service in this environment, with `promotedFrom` so that the ledger records
 * where the image came from. The execution is named as an ECR push of that digest would name it
 * ({@link releaseExecutionName}), so a repeated event starts nothing new. Whether it waits for an approval is the
 * service's `promotion` setting, applied at the traffic gate. Throws {@link InvalidPromotionEvent} for any other event,
 * or one from an environment that does not promote into this one, before it touches AWS; throws
 * {@link PromotionImageRefused} for an image from a repository the service is not configured to release (a forged or
 * misrouted event), and `InvalidServiceConfig` for a configuration that does not parse, having only read it.
 */
export async function onPromotion(event: unknown, ports: OnPromotionPorts, settings: OnPromotionSettings): Promise<OnPromotionResult> {
  const parsed = promotionEventSchema.safeParse(event);
  if (!parsed.success) throw new InvalidPromotionEvent(`not a Release Succeeded event: ${formatZodIssues(parsed.error.issues)}`);
  const { service, environment, releaseId, image } = parsed.data.detail;
  if (!settings.promotedFrom.includes(environment)) {
    throw new InvalidPromotionEvent(
      `detail.environment: ${environment} does not promote into ${settings.environment} (promoted from: ${settings.promotedFrom.join(', ') || 'none'})`,
    );
  }
  const from = { environment, releaseId };
  const base = { service, digest: image.digest, from };
  const parameterName = serviceConfigParameterName(settings.environment, service);
  const text = await ports.parameters.getParameter(parameterName);
  if (text === undefined) return { outcome: PromotionOutcome.Unconfigured, ...base };
  assertRepositoryReleased(image.repository, parseServiceConfig(parameterName, text), service, settings);
  const executionName = releaseExecutionName(service, settings.environment, image.digest);
  const started = await ports.executions.startExecution(settings.stateMachineArn, executionName, {
    service,
    environment: settings.environment,
    image: { repository: image.repository, digest: image.digest },
    requestedBy: `promotion from ${environment} (${releaseId})`,
    promotedFrom: from,
  });
  return { outcome: PromotionOutcome.Released, ...base, executionName, executionArn: started.executionArn, started: started.started };
}
