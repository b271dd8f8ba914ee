import * as z from 'zod';
import { InvalidImagePushEvent, InvalidServiceConfig } from './errors.ts';
import { formatZodIssues } from './formatZodIssues.ts';
import type { ExecutionStarterPort, ParameterListPort } from './ports.ts';
import { imageDigestSchema, imageTagSchema, resourceNameSchema } from './releaseInput.ts';
import { releaseExecutionName } from './releaseExecutionName.ts';
import { parseServiceConfig, repositoryNameSchema } from './serviceConfig.ts';
import { tagMatchesPattern } from './tagMatchesPattern.ts';

/** The envelope and the fields every ECR image action has; the rest is checked once the action is known to be a successful push. */
const imageActionSchema = z.object({
  source: z.literal('aws.ecr'),
  'detail-type': z.literal('ECR Image Action'),
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit account id'),
  region: z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d$/, 'must be an AWS region'),
  // Loose: the push fields are checked in a second step, once the action is known to be a successful push.
  detail: z.looseObject({
    'action-type': z.string().min(1).max(64),
    result: z.string().min(1).max(64),
  }),
});

const pushDetailSchema = z.object({
  'repository-name': repositoryNameSchema,
  'image-digest': imageDigestSchema,
  'image-tag': imageTagSchema.optional(),
});

/** What `onImagePushed` made of an event. */
export const ImagePushOutcome = {
  /** Not a successful push (a DELETE, a FAILURE): nothing to do. */
  Ignored: 'ignored',
  /** A successful push no service's trigger matches. */
  Unmatched: 'unmatched',
  /** One release execution per matching service was started, or had already been started. */
  Released: 'released',
} as const;
/** One outcome. */
export type ImagePushOutcomeValue = (typeof ImagePushOutcome)[keyof typeof ImagePushOutcome];

/** One release a push asked for. */
export interface TriggeredRelease {
  readonly service: string;
  readonly executionName: string;
  readonly executionArn: string;
  /** False when an execution of that name already existed: a repeated event, or the same digest pushed under another tag. */
  readonly started: boolean;
}

/** A service configuration that could not be read; it was skipped so that it does not block the others. */
export interface SkippedConfig {
  readonly parameterName: string;
  readonly message: string;
}

/** What `onImagePushed` did. */
export interface OnImagePushedResult {
  readonly outcome: ImagePushOutcomeValue;
  /** Why an event was ignored or unmatched. */
  readonly reason?: string;
  readonly repository?: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly releases: readonly TriggeredRelease[];
  readonly skippedConfigs: readonly SkippedConfig[];
}

/** The environment this control plane releases into, and its state machine. */
export interface OnImagePushedSettings {
  readonly environment: string;
  readonly stateMachineArn: string;
}

/** The ports `onImagePushed` uses: it lists service configurations and starts executions, nothing else. */
export interface OnImagePushedPorts {
  readonly parameters: ParameterListPort;
  readonly executions: ExecutionStarterPort;
}

interface MatchingService {
  readonly service: string;
}

/** The services of the environment whose triggers match the push; unreadable configurations are skipped and reported. */
async function matchingServices(
  environment: string,
  repository: string,
  tag: string,
  parameters: ParameterListPort,
): Promise<{ matches: MatchingService[]; skippedConfigs: SkippedConfig[] }> {
  const path = `/cutover/${environment}/services`;
  const matches: MatchingService[] = [];
  const skippedConfigs: SkippedConfig[] = [];
  const byName = await parameters.getParametersByPath(path);
  for (const [parameterName, text] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const service = parameterName.slice(path.length + 1);
    if (!parameterName.startsWith(`${path}/`) || !resourceNameSchema.safeParse(service).success) {
      skippedConfigs.push({ parameterName, message: 'the last path segment is not a valid service name' });
      continue;
    }
    let triggers;
    try {
      triggers = parseServiceConfig(parameterName, text).triggers;
    } catch (error) {
      if (!(error instanceof InvalidServiceConfig)) throw error;
      skippedConfigs.push({ parameterName, message: error.message });
      continue;
    }
    if (triggers.some((trigger) => trigger.repository === repository && tagMatchesPattern(tag, trigger.tagPattern))) {
      matches.push({ service });
    }
  }
  return { matches, skippedConfigs };
}

function repositoryUri(account: string, region: string, repository: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${account}.dkr.ecr.${region}.${domain}/${repository}`;
}

/**
 * Handles an EventBridge `ECR Image Action`: for a successful PUSH, starts one release execution per service of this
 * environment whose trigger matches the repository and tag, named by {@link releaseExecutionName} so that a repeated
 * event, or the same digest pushed under a second tag, starts nothing new. A DELETE or a failed push is ignored; a push
 * no trigger matches is reported as unmatched. Throws {@link InvalidImagePushEvent} naming the field for any other
 * shape (a push without a digest included), before it touches AWS.
 */
export async function onImagePushed(event: unknown, ports: OnImagePushedPorts, settings: OnImagePushedSettings): Promise<OnImagePushedResult> {
  const envelope = imageActionSchema.safeParse(event);
  if (!envelope.success) {
    throw new InvalidImagePushEvent(`not an ECR image action: ${formatZodIssues(envelope.error.issues)}`);
  }
  const { account, region, detail } = envelope.data;
  if (detail['action-type'] !== 'PUSH' || detail.result !== 'SUCCESS') {
    return { outcome: ImagePushOutcome.Ignored, reason: `${detail['action-type']} ${detail.result} is not a successful push`, releases: [], skippedConfigs: [] };
  }
  const push = pushDetailSchema.safeParse(detail);
  if (!push.success) {
    const issues = push.error.issues.map((issue) => ({ ...issue, path: ['detail', ...issue.path] }));
    throw new InvalidImagePushEvent(`not a valid ECR push: ${formatZodIssues(issues)}`);
  }
  const { 'repository-name': repository, 'image-digest': digest, 'image-tag': tag } = push.data;
  const pushed = { repository, digest, ...(tag === undefined ? {} : { tag }) };
  if (tag === undefined) {
    return { outcome: ImagePushOutcome.Unmatched, reason: 'the push has no tag; triggers match tags', ...pushed, releases: [], skippedConfigs: [] };
  }

  const { matches, skippedConfigs } = await matchingServices(settings.environment, repository, tag, ports.parameters);
  if (matches.length === 0) {
    return { outcome: ImagePushOutcome.Unmatched, reason: `no service in ${settings.environment} has a trigger for ${repository}:${tag}`, ...pushed, releases: [], skippedConfigs };
  }
  const releases: TriggeredRelease[] = [];
  for (const { service } of matches) {
    const executionName = releaseExecutionName(service, settings.environment, digest);
    const input = {
      service,
      environment: settings.environment,
      image: { repository: repositoryUri(account, region, repository), digest },
      requestedBy: `ecr push ${repository}:${tag}`,
    };
    const started = await ports.executions.startExecution(settings.stateMachineArn, executionName, input);
    releases.push({ service, executionName, executionArn: started.executionArn, started: started.started });
  }
  return { outcome: ImagePushOutcome.Released, ...pushed, releases, skippedConfigs };
}
