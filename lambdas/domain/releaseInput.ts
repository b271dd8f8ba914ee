import * as z from 'zod';
import { InvalidReleaseInput } from './errors.ts';
import { formatZodIssues } from './formatZodIssues.ts';
import { strategyStepsSchema } from './serviceConfig.ts';

/** Names of services and environments: they become SSM path segments and DynamoDB keys. */
export const resourceNameSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'must be 1-64 lowercase letters, digits or hyphens, not starting or ending with a hyphen');

/** An image digest as ECR reports it. */
export const imageDigestSchema = z.string().regex(/^sha256:[a-f0-9]{64}$/, 'must be sha256:<64 hex digits>');

/** A repository as a release names it: a repository name or URI, without tag or digest. */
export const repositorySchema = z
  .string()
  .max(512)
  .regex(/^(?:[a-z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:[._\/-][a-z0-9]+)*$/, 'must be a repository name or URI, without tag or digest');

/** An image tag, as Docker and ECR allow it. */
export const imageTagSchema = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be an image tag (letters, digits, _ . -; at most 128)');

/** A task definition revision ARN. */
export const taskDefinitionArnSchema = z
  .string()
  .max(512)
  .regex(/^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/, 'must be a task definition revision ARN');

/** What a rollback release goes back to (the release input's `rollbackTo`). */
export const rollbackTargetSchema = z.strictObject({
  /** The task definition revision to run again, as the earlier release left it. */
  taskDefinitionArn: taskDefinitionArnSchema,
  /** The release whose task definition this is. */
  fromReleaseId: z.string().min(1).max(128),
  /** The release being rolled back (recorded in the ledger as `rollbackOf`). @default not recorded */
  rollbackOf: z.string().min(1).max(128).optional(),
  /** Why, as the asker said it (recorded in the ledger). */
  reason: z.string().min(1).max(512).optional(),
});

/** A validated `rollbackTo`. */
export type RollbackTarget = z.infer<typeof rollbackTargetSchema>;

/**
 * The execution input of a release, as an operator types it in the Step Functions console
 * or as the triggers build it. Unknown fields are rejected so that a typo is not silently ignored.
 */
export const releaseInputSchema = z.strictObject({
  /** The service to release, as named under `/cutover/<environment>/services/`. */
  service: resourceNameSchema,
  /** The environment to release into. */
  environment: resourceNameSchema,
  /** The image to release: its repository and either its digest or a tag that Prepare resolves to a digest. Exactly one of `image` and `rollbackTo`. */
  image: z
    .strictObject({
      /** The ECR repository: a full repository URI (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`) or a repository name in this account and region. */
      repository: repositorySchema,
      /** The image digest. */
      digest: imageDigestSchema.optional(),
      /** A tag, resolved to its digest before anything is built (ECR repositories only). */
      tag: imageTagSchema.optional(),
    })
    .superRefine((image, ctx) => {
      if ((image.digest === undefined) === (image.tag === undefined)) {
        ctx.addIssue({ code: 'custom', path: [], message: 'must have exactly one of digest and tag' });
      }
    })
    .optional(),
  /**
   * Instead of `image`: roll back to an earlier release's task definition, as it was (not rebuilt). Prepare checks that
   * it exists, is ACTIVE and pins the container's image by digest; the release then reuses it, all at once
   * (`[{ setWeight: 100 }]` and the usual warm period), without the gates, and the ledger records it as a rollback.
   */
  rollbackTo: rollbackTargetSchema.optional(),
  /** Overrides the service's configured strategy steps for this release. */
  strategy: z.strictObject({ steps: strategyStepsSchema }).optional(),
  /** Who or what asked for the release; recorded in the ledger. @default "unknown" */
  requestedBy: z.string().min(1).max(256).default('unknown'),
  /** Validate and plan only: no lock is taken, nothing is written, the execution ends with the plan. @default false */
  dryRun: z.boolean().optional(),
  /** Set by onPromotion: the environment and release this digest succeeded in (recorded in the ledger). @default not a promotion */
  promotedFrom: z.strictObject({ environment: resourceNameSchema, releaseId: z.string().min(1).max(128) }).optional(),
}).superRefine((input, ctx) => {
  if ((input.image === undefined) === (input.rollbackTo === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['image'], message: 'must have exactly one of image and rollbackTo' });
  }
  if (input.rollbackTo !== undefined && input.strategy !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['strategy'], message: 'a rollback is always all at once; leave strategy out' });
  }
});

/** A validated release request. */
export type ReleaseInput = z.infer<typeof releaseInputSchema>;

/** Parses an execution input, or throws {@link InvalidReleaseInput} naming the offending field(s). */
export function parseReleaseInput(raw: unknown): ReleaseInput {
  const result = releaseInputSchema.safeParse(raw);
  if (!result.success) {
    throw new InvalidReleaseInput(`invalid release input: ${formatZodIssues(result.error.issues)}`);
  }
  return result.data;
}
