#!/usr/bin/env -S npx tsx
/**
 * The operator CLI: `cutover abort|promote|status --service S --environment E`.
 * Uses the caller's AWS credentials and region (AWS_PROFILE, AWS_REGION, …).
 */
import { ExecutionAdapter } from '../lambdas/adapters/ExecutionAdapter.ts';
import { ReleaseTable } from '../lambdas/adapters/ReleaseTable.ts';
import { parseOperatorArgs, USAGE, UsageError } from './cli/parseOperatorArgs.ts';
import { runOperatorCommand } from '../lambdas/domain/runOperatorCommand.ts';

async function main(): Promise<number> {
  let args;
  try {
    args = parseOperatorArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`cutover: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  const result = await runOperatorCommand(args, { store: new ReleaseTable(undefined, args.tableName), executions: new ExecutionAdapter() });
  console.log(args.json ? JSON.stringify(result, null, 2) : result.message);
  return result.exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const err = error as Error;
    console.error(`cutover: ${err.name}: ${err.message}`);
    process.exitCode = 1;
  },
);
