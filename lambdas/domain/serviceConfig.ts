import * as z from 'zod';
import { InvalidServiceConfig } from './errors.ts';
import { formatZodIssues } from './formatZodIssues.ts';

/** Longest a manual pause or a bake may wait: Step Functions' one-year execution limit, less a day of headroom. */
export const MAX_WAIT_SECONDS = 364 * 24 * 3600;

/** `{ setWeight: N }`: send N % of production traffic to the new colour. */
export const setWeightStepSchema = z.strictObject({
  setWeight: z.number().int().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100'),
});

/** `{ pause: { durationSeconds: N } }` bakes for N seconds; `{ pause: {} }` waits for an operator to promote. */
export const pauseStepSchema = z.strictObject({
  pause: z.strictObject({
    durationSeconds: z.number().int().min(1).max(MAX_WAIT_SECONDS).optional(),
  }),
});

/** One strategy step, Argo Rollouts style: an object with exactly one key. */
export const strategyStepSchema = z.union([setWeightStepSchema, pauseStepSchema]);

/** One strategy step. */
export type StrategyStep = z.infer<typeof strategyStepSchema>;

/** The default strategy: 10 % for five minutes, 50 % for ten, then everything. */
export const DEFAULT_STEPS: readonly StrategyStep[] = [
  { setWeight: 10 },
  { pause: { durationSeconds: 300 } },
  { setWeight: 50 },
  { pause: { durationSeconds: 600 } },
  { setWeight: 100 },
];

/**
 * Strategy steps: weights strictly increase, and a pause follows a weight (a pause at 0 % would bake nothing).
 * A strategy whose last weight is below 100 ends with an implied `{ setWeight: 100 }`.
 */
export const strategyStepsSchema = z
  .array(strategyStepSchema)
  .min(1, 'must have at least one step')
  .max(50, 'must have at most 50 steps')
  .superRefine((steps, ctx) => {
    let lastWeight = 0;
    steps.forEach((step, index) => {
      if ('setWeight' in step) {
        if (step.setWeight <= lastWeight) {
          ctx.addIssue({ code: 'custom', path: [index, 'setWeight'], message: `must be greater than the previous weight ${lastWeight}` });
        }
        lastWeight = step.setWeight;
      } else if (lastWeight === 0) {
        ctx.addIssue({ code: 'custom', path: [index, 'pause'], message: 'a pause must follow a setWeight step' });
      }
    });
  });

/** An ECS service of one colour and the target group its tasks register in. */
export const colorSchema = z.strictObject({
  /** The ECS service name (in `cluster`). */
  serviceName: z.string().min(1).max(255),
  /** The ARN of the target group this service's tasks register in. */
  targetGroupArn: z.string().regex(/^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]+\/[a-f0-9]+$/, 'must be a target group ARN'),
});

const listenerRuleArnSchema = z
  .string()
  .regex(/^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener-rule\/app\/[A-Za-z0-9-]+\/[a-f0-9]+\/[a-f0-9]+\/[a-f0-9]+$/, 'must be an ALB listener rule ARN');

/**
 * A database migration run as a one-off ECS task with the release's new task definition and this command, in the live
 * service's cluster, subnets and security groups. Exit code 0 passes.
 */
export const migrationSchema = z.strictObject({
  /** The command override, e.g. `["npm", "run", "migrate"]`. */
  command: z.array(z.string().min(1)).min(1).max(64),
  /** How long the task may run before it is stopped and the gate fails. */
  timeoutSeconds: z.number().int().min(1).max(86_400),
  /** The container the command runs in. @default the service's `containerName` */
  containerName: z.string().min(1).optional(),
});

/** One migration's settings. */
export type MigrationConfig = z.infer<typeof migrationSchema>;

/** A smoke test: one HTTP request against the test listener, passing on `expectStatus` (and `expectBodyContains`). */
export const smokeTestSchema = z.strictObject({
  /** Names the test in a failure. */
  name: z.string().min(1).max(100),
  /** The URL, usually the test listener's, e.g. `https://web.example.com:8443/health`. */
  url: z.string().url().refine((url) => /^https?:\/\//.test(url), 'must be an http or https URL'),
  /** @default "GET" */
  method: z.enum(['GET', 'HEAD', 'POST']).optional(),
  /** The status the response must have. */
  expectStatus: z.number().int().min(100).max(599),
  /** Text the response body must contain. */
  expectBodyContains: z.string().min(1).optional(),
  /** How long one request may take. @default 10 */
  timeoutSeconds: z.number().int().min(1).max(60).optional(),
});

/** One smoke test. */
export type SmokeTest = z.infer<typeof smokeTestSchema>;

/** What a release does when another release of the service holds the lock. */
export const OnBusy = {
  /** Wait for the lock (Prepare retries with backoff for about two hours): a newer image is never lost. */
  Queue: 'queue',
  /** Fail at once with ConcurrentReleaseError. */
  Reject: 'reject',
} as const;
/** One `onBusy` behaviour. */
export type OnBusyValue = (typeof OnBusy)[keyof typeof OnBusy];

/** An ECR repository name as ECR events carry it (`detail.repository-name`): lowercase, `/`-separated segments. */
export const repositoryNameSchema = z
  .string()
  .max(256)
  .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, 'must be an ECR repository name (no registry host, tag or digest)');

/** A tag glob: tag characters and `*` (any run of characters), matched against the whole tag. */
export const tagPatternSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.*-]+$/, 'must be an image tag pattern: letters, digits, _ . - and * (any characters)');

/** A push that releases the service: an image pushed to `repository` with a tag matching `tagPattern`. */
export const triggerSchema = z.strictObject({
  /** The ECR repository name in this account and region, e.g. `team/web`. */
  repository: repositoryNameSchema,
  /** A glob over the pushed tag, anchored at both ends: `main-*`, `v*`, `latest`. */
  tagPattern: tagPatternSchema,
});

/** One trigger. */
export type Trigger = z.infer<typeof triggerSchema>;

/** A full ECR repository URI, `<account>.dkr.ecr.<region>.amazonaws.com/<name>`, as a `Release Succeeded` event carries it. */
export const ecrRepositoryUriSchema = z
  .string()
  .max(512)
  .regex(
    /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
    'must be an ECR repository URI <account>.dkr.ecr.<region>.amazonaws.com/<name> (no tag or digest)',
  );

/**
 * A service's release configuration: the JSON value of the SSM parameter `/cutover/<environment>/services/<service>`.
 * Unknown fields are rejected so that a typo is not silently ignored.
 */
export const serviceConfigSchema = z
  .strictObject({
    /** The ECS cluster name or ARN that runs both colours. */
    cluster: z.string().min(1),
    /** The container whose image a release replaces. */
    containerName: z.string().min(1),
    /** The blue colour. */
    blue: colorSchema,
    /** The green colour. */
    green: colorSchema,
    /** The production listener rule whose weighted forward action splits traffic between the colours. */
    productionListenerRuleArn: listenerRuleArnSchema,
    /** An optional test listener rule, pointed at the idle colour before traffic moves (smoke tests). */
    testListenerRuleArn: listenerRuleArnSchema.optional(),
    /** The traffic steps. @default DEFAULT_STEPS */
    strategy: z.strictObject({ steps: strategyStepsSchema }).default({ steps: [...DEFAULT_STEPS] }),
    /** CloudWatch alarms watched during every bake; any in ALARM rolls the release back. */
    alarmNames: z.array(z.string().min(1).max(255)).min(1, 'must name at least one alarm: a canary nobody watches is only a timer').max(100),
    /** How long the idle colour may take to become ready. @default 600 */
    readyTimeoutSeconds: z.number().int().min(30).max(7200).default(600),
    /** How long the old colour stays warm (and watched) after traffic reaches 100 %. @default 300 */
    terminationWaitSeconds: z.number().int().min(0).max(86_400).default(300),
    /** How long a `pause: {}` waits for an operator to promote before the release rolls back. @default 86400 */
    maxManualPauseSeconds: z.number().int().min(60).max(MAX_WAIT_SECONDS).default(86_400),
    /** ECR pushes that start a release of this service in this environment. @default [] (released only by hand) */
    triggers: z.array(triggerSchema).max(20).default([]),
    /** When another release holds the lock: `queue` waits for it, `reject` fails at once. @default "queue" */
    onBusy: z.enum([OnBusy.Queue, OnBusy.Reject]).default(OnBusy.Queue),
    /** A digest promoted from the previous environment: `auto` releases it, `approval` waits for cutover approve first. @default "auto" */
    promotion: z.enum(['auto', 'approval']).default('auto'),
    /**
     * The repositories (full ECR URIs) a promotion into this environment may release images from; any other is refused.
     * @default the `triggers` repositories, in this environment's own account and region
     */
    promotionRepositories: z.array(ecrRepositoryUriSchema).min(1).max(20).optional(),
    /** A migration run before any traffic moves (the "expand" phase); a failure fails the release. @default none */
    migration: migrationSchema.optional(),
    /** A migration run after the old colour is scaled down (the "contract" phase); a failure only warns. @default none */
    postPromotionMigration: migrationSchema.optional(),
    /** Smoke tests run against the test listener before any traffic moves; all must pass. @default none */
    smokeTests: z.array(smokeTestSchema).min(1).max(10).optional(),
    /** Where release notifications go: the Slack channel id the cutover bot posts to (and updates). @default none (no notifications) */
    slack: z.strictObject({ channel: z.string().regex(/^[CG][A-Z0-9]{2,31}$/, 'must be a Slack channel id such as C0123ABCD') }).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.blue.serviceName === config.green.serviceName) {
      ctx.addIssue({ code: 'custom', path: ['green', 'serviceName'], message: 'must differ from blue.serviceName' });
    }
    if (config.blue.targetGroupArn === config.green.targetGroupArn) {
      ctx.addIssue({ code: 'custom', path: ['green', 'targetGroupArn'], message: 'must differ from blue.targetGroupArn' });
    }
    if (config.testListenerRuleArn !== undefined && config.testListenerRuleArn === config.productionListenerRuleArn) {
      ctx.addIssue({ code: 'custom', path: ['testListenerRuleArn'], message: 'must differ from productionListenerRuleArn: the test listener is pointed at the idle colour before any traffic moves' });
    }
  });

/** A validated service configuration, defaults filled in. */
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;

/** The SSM parameter name of a service's configuration. */
export function serviceConfigParameterName(environment: string, service: string): string {
  return `/cutover/${environment}/services/${service}`;
}

/** Parses the text of a service's SSM parameter, or throws {@link InvalidServiceConfig} naming the parameter and the field(s). */
export function parseServiceConfig(parameterName: string, text: string): ServiceConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InvalidServiceConfig(`${parameterName} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const result = serviceConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new InvalidServiceConfig(`${parameterName}: ${formatZodIssues(result.error.issues)}`);
  }
  return result.data;
}
