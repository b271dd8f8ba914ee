import type { AwsCall } from '../../sandbox/account/CallLog.ts';
import type { RehearsalOptions } from '../../sandbox/rehearseRelease.ts';
import type { SandboxReport } from '../../sandbox/sandboxReport.ts';
import { awsListPrices, UNCHARGED_OPERATIONS } from './awsListPrices.ts';
import type { FunctionSettings } from './functionSettings.ts';
import { instrumentHandlers, type HandlerInvocation } from './instrumentHandlers.ts';
import { median } from './median.ts';

/** The traffic weights of the benchmarked three-step canary. */
export const CANARY_STEPS: readonly number[] = [10, 50, 100];

/** What one release costs at one bake length, measured over several rehearsals. */
export interface ReleaseCost {
  readonly bakeSeconds: number;
  readonly outcome: string;
  /** State transitions as Step Functions bills them (each state entered, each retry). */
  readonly stateTransitions: number;
  readonly lambdaInvocations: number;
  readonly invocationsByFunction: Readonly<Record<string, number>>;
  readonly awsCalls: number;
  readonly awsCallsByOperation: Readonly<Record<string, number>>;
  /** DynamoDB request units the calls consume (assumptions in the report). */
  readonly writeRequestUnits: number;
  readonly readRequestUnits: number;
  /** CloudWatch API requests (DescribeAlarms). */
  readonly cloudWatchRequests: number;
  /** Median over the runs of Σ ceil(in-process handler ms): the billed duration assumed. */
  readonly billedMs: number;
  /** Σ memory (GB) × billed seconds. */
  readonly gbSeconds: number;
  /** Σ memory (GB) × configured timeout: the most Lambda could bill if every invocation ran to its timeout. */
  readonly gbSecondsAtTimeouts: number;
  readonly usd: { readonly transitions: number; readonly lambdaRequests: number; readonly lambdaDuration: number; readonly apiCalls: number; readonly total: number; readonly totalAtTimeouts: number };
  /** Virtual seconds the release took. */
  readonly releaseSeconds: number;
  /** Operations called that have neither a price rule nor a place among the uncharged ones (priced at $0, flagged). */
  readonly unpricedOperations: readonly string[];
  readonly runs: number;
}

/** DynamoDB request units of one call, assuming items under 1 KB written and 4 KB read. */
function requestUnits(call: AwsCall): { write: number; read: number } {
  const input = call.input as { TransactItems?: unknown[]; ConsistentRead?: boolean };
  switch (call.operation) {
    case 'TransactWriteItems':
      return { write: 2 * (input.TransactItems?.length ?? 1), read: 0 };
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return { write: 1, read: 0 };
    case 'GetItem':
    case 'Query':
      return { write: 0, read: input.ConsistentRead === true ? 1 : 0.5 };
    default:
      return { write: 0, read: 0 };
  }
}

/** Operations {@link requestUnits} or the CloudWatch request price covers. */
const PRICED_OPERATIONS: ReadonlySet<string> = new Set(['TransactWriteItems', 'PutItem', 'UpdateItem', 'DeleteItem', 'GetItem', 'Query', 'DescribeAlarms']);

const tally = (keys: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
};

/** The price of the counted work of one release. */
export function priceRelease(counts: {
  stateTransitions: number;
  lambdaInvocations: number;
  gbSeconds: number;
  gbSecondsAtTimeouts: number;
  writeRequestUnits: number;
  readRequestUnits: number;
  cloudWatchRequests: number;
}): ReleaseCost['usd'] {
  const transitions = counts.stateTransitions * awsListPrices.stateTransition.usd;
  const lambdaRequests = counts.lambdaInvocations * awsListPrices.lambdaRequest.usd;
  const lambdaDuration = counts.gbSeconds * awsListPrices.lambdaGbSecondArm.usd;
  const apiCalls =
    counts.writeRequestUnits * awsListPrices.dynamoDbWriteRequestUnit.usd +
    counts.readRequestUnits * awsListPrices.dynamoDbReadRequestUnit.usd +
    counts.cloudWatchRequests * awsListPrices.cloudWatchApiRequest.usd;
  const fixed = transitions + lambdaRequests + apiCalls;
  return { transitions, lambdaRequests, lambdaDuration, apiCalls, total: fixed + lambdaDuration, totalAtTimeouts: fixed + counts.gbSecondsAtTimeouts * awsListPrices.lambdaGbSecondArm.usd };
}

/**
 * Rehearses the three-step canary `runs` times at each bake length in the sandbox, counting what AWS bills: state
 * transitions, Lambda invocations and their in-process durations, and the AWS calls.
 */
export async function measureReleaseCost(
  rehearse: (options: RehearsalOptions) => Promise<SandboxReport>,
  bakes: readonly number[],
  runs: number,
  functions: readonly FunctionSettings[],
): Promise<ReleaseCost[]> {
  const settingsOf = (key: string): FunctionSettings | undefined => functions.find((candidate) => candidate.key === key);
  const results: ReleaseCost[] = [];
  for (const bakeSeconds of bakes) {
    const billed: number[] = [];
    let last: { report: SandboxReport; invocations: HandlerInvocation[]; calls: readonly AwsCall[] } | undefined;
    let gbSecondsRuns: number[] = [];
    for (let run = 0; run < runs; run++) {
      const instrumentation = instrumentHandlers();
      try {
        const report = await rehearse({ scenario: 'happy', steps: [...CANARY_STEPS], bakeSeconds, releases: 1 });
        if (report.outcome !== 'Succeeded') throw new Error(`the happy release at a ${bakeSeconds} s bake ended ${report.outcome}`);
        const invocations = [...instrumentation.invocations];
        billed.push(invocations.reduce((sum, invocation) => sum + Math.ceil(invocation.durationMs), 0));
        gbSecondsRuns.push(invocations.reduce((sum, invocation) => sum + ((settingsOf(invocation.key)?.memoryMb ?? 256) / 1024) * (Math.ceil(invocation.durationMs) / 1000), 0));
        last = { report, invocations, calls: instrumentation.accounts.at(-1)?.calls() ?? [] };
      } finally {
        instrumentation.restore();
      }
    }
    if (last === undefined) throw new Error('no run');
    const { report, invocations, calls } = last;
    const units = calls.map(requestUnits);
    const counts = {
      stateTransitions: report.stateTransitions,
      lambdaInvocations: invocations.length,
      gbSeconds: median(gbSecondsRuns),
      gbSecondsAtTimeouts: invocations.reduce((sum, invocation) => {
        const settings = settingsOf(invocation.key);
        return sum + ((settings?.memoryMb ?? 256) / 1024) * (settings?.timeoutSeconds ?? 30);
      }, 0),
      writeRequestUnits: units.reduce((sum, unit) => sum + unit.write, 0),
      readRequestUnits: units.reduce((sum, unit) => sum + unit.read, 0),
      cloudWatchRequests: calls.filter((call) => call.operation === 'DescribeAlarms').length,
    };
    const unpricedOperations = Object.keys(report.awsCalls.byOperation).filter((operation) => !UNCHARGED_OPERATIONS.has(operation) && !PRICED_OPERATIONS.has(operation));
    results.push({
      bakeSeconds,
      outcome: report.outcome,
      ...counts,
      invocationsByFunction: tally(invocations.map((invocation) => invocation.key)),
      awsCalls: report.awsCalls.total,
      awsCallsByOperation: report.awsCalls.byOperation,
      billedMs: median(billed),
      usd: priceRelease(counts),
      releaseSeconds: report.releaseSeconds,
      unpricedOperations,
      runs,
    });
    gbSecondsRuns = [];
  }
  return results;
}
