import { OperatorCommand, type OperatorCommandValue, type OperatorRequest } from '../../lambdas/domain/runOperatorCommand.ts';
import { optionalText, parseCommandLine, UsageError } from './parseCommandLine.ts';

export { UsageError };

/** A parsed, validated command line. */
export interface OperatorArgs extends OperatorRequest {
  /** The DynamoDB table of the environment's control plane. */
  readonly tableName: string;
  readonly json: boolean;
}

/** The usage text. */
export const USAGE = `usage: cutover <abort|promote|status> --service S --environment E [options]

  abort     fail the bake the release waits on (it rolls back), or end a release parked at the
            freeze or approval gate (it fails; no traffic moved)
  promote   end the current bake or manual pause now: the release goes to its next step
            (never skips a freeze or approval gate)
  status    show the lock holder, the waiting bake or parked gate, and the latest releases

options:
  --service, -s       the service, as named under /cutover/<environment>/services/
  --environment, -e   the environment
  --table             the control plane's table (default cutover-<environment>-releases)
  --reason            why (abort and promote), recorded in the execution's history
  --by                who acts (default: $USER)
  --json              print JSON instead of text`;

/** Parses the operator CLI's arguments (without `node` and the script), or throws {@link UsageError}. */
export function parseOperatorArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): OperatorArgs {
  const line = parseCommandLine(argv, Object.values(OperatorCommand) as OperatorCommandValue[], { reason: { type: 'string' } });
  const reason = optionalText('--reason', line.values.reason, 500);
  return {
    command: line.command,
    service: line.service,
    environment: line.environment,
    tableName: line.tableName,
    actor: line.by ?? env.USER ?? 'operator',
    ...(reason === undefined ? {} : { reason }),
    json: line.json,
  };
}
