#!/usr/bin/env -S npx tsx
/**
 * The operator CLI: `cutover abort|promote|status --service S --environment E`, `cutover approve|reject --service S --environment E`,
 * `cutover release --service S --environment E --image REPO:TAG|REPO@DIGEST [--again]`, `cutover plan` (a dry run of the
 * same release: reads only) and `cutover history`.
 * Uses the caller's AWS credentials and region (AWS_PROFILE, AWS_REGION, …).
 */
import { EcrAdapter } from '../lambdas/adapters/EcrAdapter.ts';
import { ExecutionAdapter } from '../lambdas/adapters/ExecutionAdapter.ts';
import { ReleaseError } from '../lambdas/domain/errors.ts';
import { ReleaseTable } from '../lambdas/adapters/ReleaseTable.ts';
import { parseOperatorArgs, USAGE, UsageError } from './cli/parseOperatorArgs.ts';
import { parseReleaseArgs, RELEASE_USAGE, ReleaseCommand } from './cli/parseReleaseArgs.ts';
import { runPlanCommand } from './cli/runPlanCommand.ts';
import { runReleaseCommand } from './cli/runReleaseCommand.ts';
import { AlarmAdapter } from '../lambdas/adapters/AlarmAdapter.ts';
import { EcsAdapter } from '../lambdas/adapters/EcsAdapter.ts';
import { LoadBalancerAdapter } from '../lambdas/adapters/LoadBalancerAdapter.ts';
import { ParameterAdapter } from '../lambdas/adapters/ParameterAdapter.ts';
import { runOperatorCommand } from '../lambdas/domain/runOperatorCommand.ts';
import { ApprovalTable } from '../lambdas/adapters/ApprovalTable.ts';
import { decideApproval } from '../lambdas/domain/approval.ts';
import { APPROVAL_USAGE, ApprovalCommand, parseApprovalArgs } from './cli/parseApprovalArgs.ts';

async function approvalMain(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseApprovalArgs(argv, process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`cutover: ${error.message}\n\n${APPROVAL_USAGE}`);
      return 2;
    }
    throw error;
  }
  const releases = new ReleaseTable(undefined, args.tableName);
  const result = await decideApproval(
    args,
    { approvals: new ApprovalTable(undefined, args.tableName), executions: new ExecutionAdapter(), getLock: (environment, service) => releases.getLock(environment, service) },
    new Date(),
  );
  console.log(args.json ? JSON.stringify(result, null, 2) : result.message);
  return result.exitCode;
}

async function releaseMain(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseReleaseArgs(argv, process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`cutover: ${error.message}\n\n${RELEASE_USAGE}`);
      return 2;
    }
    throw error;
  }
  const executions = new ExecutionAdapter();
  const stateMachineArn = async (): Promise<string> => {
    const arn = args.stateMachineArn ?? (await executions.findStateMachineArn(args.stateMachineName));
    if (arn === undefined) throw new Error(`no state machine ${args.stateMachineName} in this account and region; pass --state-machine-arn`);
    return arn;
  };
  try {
    const store = new ReleaseTable(undefined, args.tableName);
    const result =
      args.command === ReleaseCommand.Plan
        ? await runPlanCommand(
            args,
            { parameters: new ParameterAdapter(), loadBalancer: new LoadBalancerAdapter(), ecs: new EcsAdapter(), alarms: new AlarmAdapter(), store, executions, ecr: new EcrAdapter() },
            await stateMachineArn(),
            new Date(),
          )
        : await runReleaseCommand(args, { ecr: new EcrAdapter(), executions, store, stateMachineArn });
    console.log(args.json ? JSON.stringify(result, null, 2) : result.message);
    return result.exitCode;
  } catch (error) {
    // A tag that does not exist, a repository that does not: the operator's input, not a crash.
    if (error instanceof ReleaseError) {
      console.error(`cutover: ${error.name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

/** Options of either parser that take a value: the argument after one of them is not the command. */
const VALUE_OPTIONS: ReadonlySet<string> = new Set(['--service', '-s', '--environment', '-e', '--table', '--reason', '--by', '--image', '--limit', '--state-machine-arn', '--release']);

/** The first positional argument: the command. */
function commandOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (VALUE_OPTIONS.has(arg)) i += 1;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const command = commandOf(argv);
  if (command === ReleaseCommand.Release || command === ReleaseCommand.History || command === ReleaseCommand.Plan) return releaseMain(argv);
  if (command === ApprovalCommand.Approve || command === ApprovalCommand.Reject) return approvalMain(argv);
  let args;
  try {
    args = parseOperatorArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`cutover: ${error.message}\n\n${USAGE}\n\n${APPROVAL_USAGE}\n\n${RELEASE_USAGE}`);
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
