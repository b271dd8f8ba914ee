import { parseArgs } from 'node:util';

/** The scenarios the sandbox rehearses. */
export const SandboxScenario = {
  /** Everything goes well: the release reaches 100 % and the old colour is scaled to 0. */
  Happy: 'happy',
  /** A watched alarm goes to ALARM during the first bake: EventBridge → onAlarm fails the bake, the release rolls back. */
  AlarmDuringCanary: 'alarm-during-canary',
  /** The new colour's targets never pass their health checks: the release rolls back before any traffic moves. */
  UnhealthyGreen: 'unhealthy-green',
  /** The database migration task exits 1 before any traffic moves: the release ends Failed (MigrationFailed), nothing shifted. */
  MigrationFails: 'migration-fails',
  /** Bursts of throttling on ELBv2, ECS, DynamoDB and SSM: the state machine's retries absorb them. */
  Throttled: 'throttled',
  /** An operator runs `cutover abort` during the first bake: the release rolls back. */
  ManualRollback: 'manual-rollback',
  /** The ShiftTraffic Lambda crashes once (Sandbox.Timedout) after applying the second weight: the state machine retries it. */
  CrashMidShift: 'crash-mid-shift',
  /** No one starts the release: an image pushed to ECR does, through EventBridge and the onImagePushed Lambda. */
  EcrPush: 'ecr-push',
  /** A push releases dev; the digest is promoted to staging, then to prod, which waits for `cutover approve`. */
  Promotion: 'promotion',
} as const;

/** One scenario name. */
export type SandboxScenarioValue = (typeof SandboxScenario)[keyof typeof SandboxScenario];

/** Scenarios that cannot be rehearsed yet, with the reason. */
export const UNAVAILABLE_SCENARIOS: Readonly<Partial<Record<SandboxScenarioValue, string>>> = {};

/** The most releases `--releases` runs at once. */
export const MAX_RELEASES = 200;

/** A parsed, validated sandbox command line. */
export interface SandboxOptions {
  readonly scenario: SandboxScenarioValue;
  /** Traffic weights of the strategy's steps, strictly increasing, 1-100 (undefined: the example service's strategy). */
  readonly steps?: readonly number[];
  /** The bake after each weight below 100 (undefined: the example service's bakes, or 300 s with `--steps`). */
  readonly bakeSeconds?: number;
  /** How many services to release at once. */
  readonly releases: number;
  /** Where to write the SVG chart, if anywhere. */
  readonly chartPath?: string;
  /** Print one JSON report as the last line of stdout. */
  readonly json: boolean;
  readonly help: boolean;
}

/** A command line that cannot be run; the CLI prints the message with the usage text and exits 2. */
export class SandboxUsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SandboxUsageError';
  }
}

/** The usage text. */
export const SANDBOX_USAGE = `usage: npm run sandbox -- [options]

Rehearses a cutover release offline: the shipped state machine and the shipped Lambda handlers run against a
simulated AWS account on a virtual clock (an hour of bakes takes about a second).

options:
  --scenario NAME      ${Object.values(SandboxScenario)
    .map((name) => (UNAVAILABLE_SCENARIOS[name] === undefined ? name : `${name} (not available yet)`))
    .join(', ')}
                       (default: happy)
  --steps W,W,...      traffic weights of the strategy, e.g. 10,50,100 (strictly increasing, 1-100)
  --bake-seconds N     bake after each weight below 100 (default 300 with --steps)
  --releases N         release N different services at once (1-${MAX_RELEASES}, default 1)
  --chart FILE.svg     write a chart of the traffic weights over virtual time
  --json               print a machine-readable report as the last line of stdout
  --help               show this text

scenarios:
  happy                everything goes well: 100 % on the new colour, the old colour scaled to 0
  alarm-during-canary  an alarm fires halfway through the first bake: automatic rollback
  unhealthy-green      the new colour never gets healthy: rollback before any traffic moves
  throttled            throttling bursts on ELBv2, ECS, DynamoDB and SSM, absorbed by retries
  manual-rollback      an operator runs \`cutover abort\` during the first bake
  crash-mid-shift      the ShiftTraffic Lambda crashes once after applying a weight; the retry absorbs it
  ecr-push             an image pushed to ECR starts the release (EventBridge → onImagePushed → StartExecution)
  migration-fails      the migration task exits 1 before any traffic moves: Failed (MigrationFailed), green back to 0
  promotion            a push releases dev; the same digest is promoted to staging, then prod, after cutover approve`;

function positiveInteger(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new SandboxUsageError(`${flag} must be a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new SandboxUsageError(`${flag} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function parseSteps(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.some((part) => part === '')) throw new SandboxUsageError(`--steps must be comma-separated weights such as 10,50,100, got "${text}"`);
  const weights = parts.map((part) => positiveInteger('--steps', part, 1, 100));
  for (let index = 1; index < weights.length; index++) {
    if ((weights[index] ?? 0) <= (weights[index - 1] ?? 0)) throw new SandboxUsageError(`--steps must strictly increase, got ${weights.join(',')}`);
  }
  return weights;
}

/** Parses the sandbox's arguments (without `node` and the script), or throws {@link SandboxUsageError}. */
export function parseSandboxArgs(argv: readonly string[]): SandboxOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      strict: true,
      options: {
        scenario: { type: 'string' },
        steps: { type: 'string' },
        'bake-seconds': { type: 'string' },
        releases: { type: 'string' },
        chart: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new SandboxUsageError((error as Error).message, { cause: error });
  }
  const values = parsed.values;
  const scenarioName = values.scenario ?? SandboxScenario.Happy;
  const scenarios = Object.values(SandboxScenario) as string[];
  if (!scenarios.includes(scenarioName)) throw new SandboxUsageError(`unknown scenario "${scenarioName}"; one of ${scenarios.join(', ')}`);
  const scenario = scenarioName as SandboxScenarioValue;
  const unavailable = UNAVAILABLE_SCENARIOS[scenario];
  if (unavailable !== undefined) throw new SandboxUsageError(`scenario ${scenario} is not available yet: ${unavailable}`);
  if (scenario === SandboxScenario.Promotion && values.releases !== undefined && values.releases !== '1') {
    throw new SandboxUsageError('--releases does not apply to the promotion scenario: it releases one service through dev, staging and prod');
  }
  const chartPath = values.chart;
  if (chartPath !== undefined && !chartPath.toLowerCase().endsWith('.svg')) throw new SandboxUsageError(`--chart must name an .svg file, got "${chartPath}"`);
  return {
    scenario,
    ...(values.steps === undefined ? {} : { steps: parseSteps(values.steps) }),
    ...(values['bake-seconds'] === undefined ? {} : { bakeSeconds: positiveInteger('--bake-seconds', values['bake-seconds'], 0, 86_400) }),
    releases: values.releases === undefined ? 1 : positiveInteger('--releases', values.releases, 1, MAX_RELEASES),
    ...(chartPath === undefined ? {} : { chartPath }),
    json: values.json ?? false,
    help: values.help ?? false,
  };
}
