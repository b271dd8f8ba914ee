import { parseArgs } from 'node:util';
import type { ApprovalRequest } from '../../lambdas/domain/approval.ts';
import { resourceNameSchema } from '../../lambdas/domain/releaseInput.ts';
import { UsageError } from './parseOperatorArgs.ts';

/** The approval commands. */
export const ApprovalCommand = { Approve: 'approve', Reject: 'reject' } as const;

/** A parsed, validated `cutover approve|reject` command line. */
export interface ApprovalArgs extends ApprovalRequest {
  /** The DynamoDB table of the environment's control plane. */
  readonly tableName: string;
  readonly json: boolean;
}

/** The usage text. */
export const APPROVAL_USAGE = `usage: cutover <approve|reject> --service S --environment E [options]

  approve   let the release that waits for an approval move production traffic
  reject    end that release Failed: no traffic moves, the idle colour goes back to 0

options:
  --service, -s       the service
  --environment, -e   the environment
  --release           act only if this release is the one waiting (default: whichever is)
  --table             the control plane's table (default cutover-<environment>-releases)
  --reason            why, recorded in the ledger
  --by                who decides, recorded in the ledger (default: $USER); must be in the environment's approvers
                      if it lists any, and not the requester unless allowSelfApproval
  --json              print JSON instead of text`;

/** Parses `cutover approve|reject` (without `node` and the script), or throws {@link UsageError}. */
export function parseApprovalArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ApprovalArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        service: { type: 'string', short: 's' },
        environment: { type: 'string', short: 'e' },
        release: { type: 'string' },
        table: { type: 'string' },
        reason: { type: 'string' },
        by: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const [command, ...extra] = parsed.positionals;
  if (command !== ApprovalCommand.Approve && command !== ApprovalCommand.Reject) {
    throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const service = requireName('--service', parsed.values.service);
  const environment = requireName('--environment', parsed.values.environment);
  const { reason, release } = parsed.values;
  if (reason !== undefined && (reason.length === 0 || reason.length > 500)) throw new UsageError('--reason must be 1-500 characters');
  if (release !== undefined && (release.length === 0 || release.length > 128)) throw new UsageError('--release must be 1-128 characters');
  const actor = parsed.values.by ?? env.USER;
  if (actor === undefined || actor.length === 0) throw new UsageError('--by is required when $USER is not set');
  return {
    decision: command,
    service,
    environment,
    actor,
    tableName: parsed.values.table ?? `cutover-${environment}-releases`,
    ...(reason === undefined ? {} : { reason }),
    ...(release === undefined ? {} : { releaseId: release }),
    json: parsed.values.json ?? false,
  };
}

function requireName(flag: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  const result = resourceNameSchema.safeParse(value);
  if (!result.success) throw new UsageError(`${flag} ${result.error.issues[0]?.message ?? 'is invalid'}`);
  return value;
}
