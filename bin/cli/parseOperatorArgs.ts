import { parseArgs } from 'node:util';
import { resourceNameSchema } from '../../lambdas/domain/releaseInput.ts';
import { OperatorCommand, type OperatorCommandValue, type OperatorRequest } from '../../lambdas/domain/runOperatorCommand.ts';

/** A parsed, validated command line. */
export interface OperatorArgs extends OperatorRequest {
  /** The DynamoDB table of the environment's control plane. */
  readonly tableName: string;
  readonly json: boolean;
}

/** A command line that cannot be run; the CLI prints the message with the usage text and exits 2. */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
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
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        service: { type: 'string', short: 's' },
        environment: { type: 'string', short: 'e' },
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
  const commands = Object.values(OperatorCommand) as string[];
  if (command === undefined || !commands.includes(command)) {
    throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const service = requireName('--service', parsed.values.service);
  const environment = requireName('--environment', parsed.values.environment);
  const reason = parsed.values.reason;
  if (reason !== undefined && (reason.length === 0 || reason.length > 500)) throw new UsageError('--reason must be 1-500 characters');
  return {
    command: command as OperatorCommandValue,
    service,
    environment,
    tableName: parsed.values.table ?? `cutover-${environment}-releases`,
    actor: parsed.values.by ?? env.USER ?? 'operator',
    ...(reason === undefined ? {} : { reason }),
    json: parsed.values.json ?? false,
  };
}

function requireName(flag: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  const result = resourceNameSchema.safeParse(value);
  if (!result.success) throw new UsageError(`${flag} ${result.error.issues[0]?.message ?? 'is invalid'}`);
  return value;
}
