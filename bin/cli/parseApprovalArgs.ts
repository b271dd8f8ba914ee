import type { ApprovalRequest } from '../../lambdas/domain/approval.ts';
import { optionalText, parseCommandLine, UsageError } from './parseCommandLine.ts';

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
  const line = parseCommandLine(argv, [ApprovalCommand.Approve, ApprovalCommand.Reject], { release: { type: 'string' }, reason: { type: 'string' } });
  const reason = optionalText('--reason', line.values.reason, 500);
  const release = optionalText('--release', line.values.release, 128);
  const actor = line.by ?? env.USER;
  if (actor === undefined || actor.length === 0) throw new UsageError('--by is required when $USER is not set');
  return {
    decision: line.command,
    service: line.service,
    environment: line.environment,
    actor,
    tableName: line.tableName,
    ...(reason === undefined ? {} : { reason }),
    ...(release === undefined ? {} : { releaseId: release }),
    json: line.json,
  };
}
