/**
 * `npm run sandbox`: rehearses a cutover release offline and prints its timeline. Thin: the work is in
 * rehearseRelease.ts, the options in parseSandboxArgs.ts.
 */
import { writeFileSync } from 'node:fs';
import { ensurePromiseWithResolvers } from './ensurePromiseWithResolvers.ts';
import { parseSandboxArgs, SANDBOX_USAGE, SandboxUsageError, type SandboxOptions } from './parseSandboxArgs.ts';
import { renderTimelineEntry } from './renderTimelineEntry.ts';
import { renderWeightChart } from './renderWeightChart.ts';

async function main(): Promise<number> {
  let options: SandboxOptions;
  try {
    options = parseSandboxArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof SandboxUsageError) {
      console.error(`sandbox: ${error.message}\n\n${SANDBOX_USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    console.log(SANDBOX_USAGE);
    return 0;
  }
  // The handlers log through Powertools; the timeline is the sandbox's output.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  // Their metrics are EMF lines on stdout (CloudWatch Logs in Lambda), which would interleave with the timeline.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // The SDK's notice that its 2027 releases will need Node 22 says nothing about the rehearsal.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  ensurePromiseWithResolvers();
  const { rehearseRelease, sandboxServiceNames } = await import('./rehearseRelease.ts');
  // The promotion scenario names each line's environment too: `staging/web`.
  const width = options.scenario === 'promotion' ? 'staging/web'.length : Math.max(...sandboxServiceNames(options.releases).map((name) => name.length));
  console.log(
    `cutover sandbox: scenario ${options.scenario}, ${options.releases === 1 ? 'one release' : `${options.releases} releases at once`}` +
      ` (shipped state machine and handlers, simulated AWS, virtual clock)\n`,
  );
  const report = await rehearseRelease(options, (entry) => {
    if (options.releases <= 3 || entry.kind === 'outcome' || entry.kind === 'violation') console.log(renderTimelineEntry(entry, width));
  });
  if (options.chartPath !== undefined) writeFileSync(options.chartPath, renderWeightChart(report.timeline));
  const violations = report.invariantViolations.length;
  console.log(
    `\n${report.outcome} (expected ${report.expectedOutcome}) in ${report.releaseSeconds} virtual seconds, ${report.wallMs} ms real; ` +
      `${report.stateTransitions} state transitions, ${report.awsCalls.total} AWS calls; ` +
      `${violations === 0 ? 'all invariants held' : `${violations} invariant violation(s)`}` +
      `${report.crossTalk.length === 0 ? '' : `; ${report.crossTalk.length} cross-talk call(s)`}` +
      `${options.chartPath === undefined ? '' : `; chart written to ${options.chartPath}`}`,
  );
  if (options.json) console.log(JSON.stringify(report));
  return violations === 0 && report.crossTalk.length === 0 && report.outcome === report.expectedOutcome ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const err = error as Error;
    console.error(`sandbox: ${err.name}: ${err.message}`);
    process.exitCode = 1;
  },
);
