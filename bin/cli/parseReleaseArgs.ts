import { randomBytes } from 'node:crypto';
import { ReleaseError } from '../../lambdas/domain/errors.ts';
import { parseImageReference } from '../../lambdas/domain/parseImageReference.ts';
import type { ImageReference } from '../../lambdas/domain/resolveImageDigest.ts';
import { parseCommandLine, UsageError } from './parseCommandLine.ts';

/** The commands that start a release, plan one without changing anything, or read the ledger. */
export const ReleaseCommand = { Release: 'release', History: 'history', Plan: 'plan' } as const;
/** One of them. */
export type ReleaseCommandValue = (typeof ReleaseCommand)[keyof typeof ReleaseCommand];

/** A parsed `release` or `history` command line. */
export interface ReleaseArgs {
  readonly command: ReleaseCommandValue;
  readonly service: string;
  readonly environment: string;
  /** The DynamoDB table of the environment's control plane. */
  readonly tableName: string;
  /** The release state machine's name; its ARN is looked up unless `stateMachineArn` is given. */
  readonly stateMachineName: string;
  readonly stateMachineArn?: string;
  /** `release` only: the image, by digest or by tag. */
  readonly image?: ImageReference;
  /** `release --again` only: the suffix that makes a deliberate re-release's execution name new. */
  readonly again?: string;
  /** Who asks: the release's `requestedBy`. */
  readonly actor: string;
  /** `history` only: how many releases to show. */
  readonly limit: number;
  readonly json: boolean;
}

/** The usage text of `release` and `history`. */
export const RELEASE_USAGE = `usage: cutover release --service S --environment E --image REPO:TAG|REPO@DIGEST [--again] [options]
       cutover plan --service S --environment E --image REPO:TAG|REPO@DIGEST [options]
       cutover history --service S --environment E [--limit N] [options]

  release   start a release of the image (a tag is resolved to its digest first); the execution is named after
            service, environment and digest, so the same image is released once: add --again to release it again
  plan      dry run: validate the configuration against the live resources and print what the release would do,
            step by step; reads only (no lock, no execution)
  history   show the service's latest releases from the ledger

options:
  --image             REPO:TAG or REPO@sha256:<digest>; REPO is a repository name or URI
  --again             release an image that was already released, under a new execution name
  --limit             how many releases history shows (default 20, at most 100)
  --state-machine-arn the release state machine (default: looked up by its name cutover-<environment>-release)
  --table             the control plane's table (default cutover-<environment>-releases)
  --by                who asks (default: $USER)
  --json              print JSON instead of text`;

/** A short random suffix for `--again`: 6 lowercase letters and digits. */
function randomSuffix(): string {
  return [...randomBytes(6)].map((byte) => '0123456789abcdefghijklmnopqrstuvwxyz'.charAt(byte % 36)).join('');
}

/**
 * Parses `release` and `history` command lines (without `node` and the script), or throws {@link UsageError}.
 * `suffix` makes the `--again` suffix (random by default).
 */
export function parseReleaseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}, suffix: () => string = randomSuffix): ReleaseArgs {
  const line = parseCommandLine(argv, Object.values(ReleaseCommand), {
    image: { type: 'string' },
    again: { type: 'boolean', default: false },
    limit: { type: 'string' },
    'state-machine-arn': { type: 'string' },
  });
  const { command, service, environment } = line;
  const values = line.values as { image?: string; again?: boolean; limit?: string; 'state-machine-arn'?: string };
  if (command === ReleaseCommand.History && (values.image !== undefined || values.again === true)) {
    throw new UsageError('--image and --again belong to release, not history');
  }
  if (command !== ReleaseCommand.History && values.limit !== undefined) throw new UsageError(`--limit belongs to history, not ${command}`);
  if (command === ReleaseCommand.Plan && values.again === true) throw new UsageError('--again belongs to release, not plan');
  let image: ImageReference | undefined;
  if (command === ReleaseCommand.Release || command === ReleaseCommand.Plan) {
    if (values.image === undefined) throw new UsageError('--image is required');
    try {
      image = parseImageReference(values.image);
    } catch (error) {
      if (error instanceof ReleaseError) throw new UsageError(`--image ${values.image}: ${error.message}`, { cause: error });
      throw error;
    }
  }
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit must be a whole number from 1 to 100');
  const stateMachineArn = values['state-machine-arn'];
  if (stateMachineArn !== undefined && !/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/.test(stateMachineArn)) {
    throw new UsageError('--state-machine-arn must be a Step Functions state machine ARN');
  }
  const actor = line.by ?? env.USER ?? 'operator';
  if (actor.length === 0 || actor.length > 200) throw new UsageError('--by must be 1-200 characters');
  return {
    command,
    service,
    environment,
    tableName: line.tableName,
    stateMachineName: `cutover-${environment}-release`,
    ...(stateMachineArn === undefined ? {} : { stateMachineArn }),
    ...(image === undefined ? {} : { image }),
    ...(values.again === true ? { again: suffix() } : {}),
    actor,
    limit,
    json: line.json,
  };
}

