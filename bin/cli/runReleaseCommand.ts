import type { EcrPort, ExecutionPort, ExecutionStarterPort, LedgerRecord, ReleaseStorePort } from '../../lambdas/domain/ports.ts';
import { releaseExecutionName } from '../../lambdas/domain/releaseExecutionName.ts';
import { resolveImageDigest } from '../../lambdas/domain/resolveImageDigest.ts';
import type { ReleaseArgs } from './parseReleaseArgs.ts';

/** What `release` or `history` did, for printing. `exitCode` 0: done; 1: nothing new was started. */
export interface ReleaseCommandResult {
  readonly exitCode: 0 | 1;
  readonly message: string;
  readonly details?: {
    readonly executionName?: string;
    readonly executionArn?: string;
    readonly executionStatus?: string;
    readonly digest?: string;
    readonly releases?: readonly LedgerRecord[];
  };
}

/** The ports `release` and `history` need; `stateMachineArn` finds the release state machine (only `release` asks). */
export interface ReleaseCommandPorts {
  readonly ecr: EcrPort;
  readonly executions: ExecutionStarterPort & ExecutionPort;
  readonly store: ReleaseStorePort;
  readonly stateMachineArn: () => Promise<string>;
}

function historyLine(record: LedgerRecord): string {
  const digest = record.imageDigest.replace(/^sha256:/, '').slice(0, 12);
  const cause = record.cause === undefined ? '' : `  (${record.cause})`;
  return `${record.startedAt}  ${record.outcome.padEnd(10)}  ${digest}  ${record.requestedBy}  ${record.releaseId}${cause}`;
}

/**
 * `release`: resolves a tag to its digest, then starts the execution named by {@link releaseExecutionName} (with the
 * `--again` suffix when given). When that execution already exists, says so and points at it (exit 1).
 * `history`: the service's latest ledger records, newest first.
 */
export async function runReleaseCommand(args: ReleaseArgs, ports: ReleaseCommandPorts): Promise<ReleaseCommandResult> {
  const who = `${args.service} in ${args.environment}`;
  if (args.command === 'history') {
    const releases = await ports.store.listReleases(args.environment, args.service, args.limit);
    const message = releases.length === 0 ? `${who}: no releases recorded` : [`${who}: latest ${releases.length} release(s), newest first`, ...releases.map(historyLine)].join('\n');
    return { exitCode: 0, message, details: { releases } };
  }
  if (args.image === undefined) throw new Error('release needs an image');
  const digest = await resolveImageDigest(args.image, ports.ecr);
  const executionName = releaseExecutionName(args.service, args.environment, digest, args.again);
  const input = {
    service: args.service,
    environment: args.environment,
    image: { repository: args.image.repository, digest },
    requestedBy: args.actor,
  };
  const started = await ports.executions.startExecution(await ports.stateMachineArn(), executionName, input);
  const image = `${args.image.repository}@${digest}${args.image.tag === undefined ? '' : ` (tag ${args.image.tag})`}`;
  if (started.started) {
    return { exitCode: 0, message: `${who}: release of ${image} started: ${started.executionArn}`, details: { executionName, executionArn: started.executionArn, digest } };
  }
  const executionStatus = await ports.executions.describeExecutionStatus(started.executionArn);
  return {
    exitCode: 1,
    message:
      `${who}: ${image} was already released by execution ${started.executionArn} (${executionStatus ?? 'status unknown'}); nothing new started. ` +
      'To release the same image again on purpose, add --again.',
    details: { executionName, executionArn: started.executionArn, digest, ...(executionStatus === undefined ? {} : { executionStatus }) },
  };
}
