import { parseArgs } from 'node:util';
import { resourceNameSchema } from '../../lambdas/domain/releaseInput.ts';

/** A command line that cannot be run; the CLI prints the message with the usage text and exits 2. */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Options beyond the common ones (`--service`, `--environment`, `--table`, `--by`, `--json`), as node:util parseArgs takes them. */
export type ExtraOptions = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string; readonly default?: boolean }>>;

/** What every cutover command line has, validated. */
export interface CommandLine<TCommand extends string> {
  readonly command: TCommand;
  readonly service: string;
  readonly environment: string;
  /** The DynamoDB table of the environment's control plane. */
  readonly tableName: string;
  /** `--by`, when given. */
  readonly by?: string;
  readonly json: boolean;
  /** The values of the extra options. */
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

/**
 * Parses `<command> --service S --environment E [options]` strictly: one known command, no other positional, a
 * service and an environment that are valid names, and only the common and the given extra options. Throws
 * {@link UsageError}.
 */
export function parseCommandLine<TCommand extends string>(argv: readonly string[], commands: readonly TCommand[], extraOptions: ExtraOptions = {}): CommandLine<TCommand> {
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
        by: { type: 'string' },
        json: { type: 'boolean', default: false },
        ...(extraOptions as Record<string, { type: 'string' | 'boolean'; short?: string; default?: boolean }>),
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const [command, ...extra] = parsed.positionals;
  if (command === undefined || !(commands as readonly string[]).includes(command)) {
    throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const environment = requireName('--environment', values.environment);
  return {
    command: command as TCommand,
    service: requireName('--service', values.service),
    environment,
    tableName: typeof values.table === 'string' ? values.table : `cutover-${environment}-releases`,
    ...(typeof values.by === 'string' ? { by: values.by } : {}),
    json: values.json === true,
    values,
  };
}

/** A `--flag` value of 1 to `max` characters, or undefined when absent. */
export function optionalText(flag: string, value: string | boolean | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) throw new UsageError(`${flag} must be 1-${max} characters`);
  return value;
}

function requireName(flag: string, value: string | boolean | undefined): string {
  if (typeof value !== 'string') throw new UsageError(`${flag} is required`);
  const result = resourceNameSchema.safeParse(value);
  if (!result.success) throw new UsageError(`${flag} ${result.error.issues[0]?.message ?? 'is invalid'}`);
  return value;
}
