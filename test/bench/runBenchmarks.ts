/**
 * `npm run bench`: measures what a release costs, how fast it rolls back, how big and slow to load the Lambda bundles
 * are, how the sandbox holds up with many releases at once, and the developer loop; rewrites docs/benchmarks.md and
 * docs/benchmarks/*.svg. Thin: each measurement is in its own module of test/bench/.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ensurePromiseWithResolvers } from '../../sandbox/ensurePromiseWithResolvers.ts';
import { describeMachine } from './describeMachine.ts';
import { functionSettings } from './functionSettings.ts';
import { measureBundles, readTemplate } from './measureBundles.ts';
import { timeSynth, timeTests } from './measureDeveloperLoop.ts';
import { measureReleaseCost } from './measureReleaseCost.ts';
import { measureRollbackReaction } from './measureRollbackReaction.ts';
import { measureScale } from './measureScale.ts';
import { BENCHMARK_GOALS, renderBenchmarksDoc } from './renderBenchmarksDoc.ts';
import { renderBarChart } from './renderBarChart.ts';
import { renderLineChart } from './renderLineChart.ts';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Runs per measurement: enough for a median on a noisy 2-core machine, few enough to stay under 10 minutes (`npm test` alone takes minutes here, so it runs once). */
const RUNS = { synth: 3, tests: 1, coldStart: 7, cost: 5, scale: 3 } as const;
const BAKES_SECONDS = [300, 1800, 3600] as const;
const CONCURRENT_RELEASES = [1, 10, 50] as const;

const log = (text: string): void => void process.stderr.write(`bench: ${text}\n`);

async function main(): Promise<void> {
  const started = performance.now();
  // The handlers log and emit metrics through Powertools; the benchmark's output is the document.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  ensurePromiseWithResolvers();
  const { rehearseRelease } = await import('../../sandbox/rehearseRelease.ts');

  log(`cdk synth ×${RUNS.synth} (offline, fresh output directory each time)`);
  const { timing: synth, cdkOut } = await timeSynth(PROJECT_ROOT, RUNS.synth);
  try {
    const templateFile = readdirSync(cdkOut).find((name) => name.endsWith('.template.json'));
    if (templateFile === undefined) throw new Error(`no template in ${cdkOut}`);
    const template = readTemplate(path.join(cdkOut, templateFile));
    const functions = functionSettings(template);

    log(`bundles: sizes, metafiles, module initialisation ×${RUNS.coldStart}`);
    const bundles = await measureBundles(PROJECT_ROOT, cdkOut, functions, template, RUNS.coldStart);

    log(`cost per release at bakes of ${BAKES_SECONDS.join(', ')} s ×${RUNS.cost}`);
    const costs = await measureReleaseCost(rehearseRelease, BAKES_SECONDS, RUNS.cost, functions);

    log('rollback reaction');
    const rollbacks = await measureRollbackReaction(rehearseRelease, BAKES_SECONDS[0]);

    log(`scale: ${CONCURRENT_RELEASES.join(', ')} releases at once ×${RUNS.scale}`);
    const scale = await measureScale(rehearseRelease, CONCURRENT_RELEASES, RUNS.scale, BAKES_SECONDS[0]);

    log(`npm test ×${RUNS.tests}`);
    const tests = await timeTests(PROJECT_ROOT, RUNS.tests);

    const chartDir = path.join(PROJECT_ROOT, 'docs', 'benchmarks');
    mkdirSync(chartDir, { recursive: true });
    const charts = { transitions: 'benchmarks/cost-vs-bake.svg', bundles: 'benchmarks/bundle-sizes.svg', scale: 'benchmarks/wall-vs-releases.svg' };
    writeFileSync(
      path.join(PROJECT_ROOT, 'docs', charts.transitions),
      renderLineChart({
        title: 'Work per release against bake time (three-step canary)',
        xLabel: 'bake after each canary step (minutes)',
        yLabel: 'count per release',
        goal: { y: BENCHMARK_GOALS.maxTransitions, label: `goal: ≤ ${BENCHMARK_GOALS.maxTransitions} transitions` },
        series: [
          { label: 'state transitions', color: '#1565c0', points: costs.map((cost) => ({ x: cost.bakeSeconds / 60, y: cost.stateTransitions })) },
          { label: 'AWS API calls', color: '#2e7d32', points: costs.map((cost) => ({ x: cost.bakeSeconds / 60, y: cost.awsCalls })) },
          { label: 'Lambda invocations', color: '#ef6c00', points: costs.map((cost) => ({ x: cost.bakeSeconds / 60, y: cost.lambdaInvocations })) },
        ],
      }),
    );
    writeFileSync(
      path.join(PROJECT_ROOT, 'docs', charts.bundles),
      renderBarChart({
        title: 'Lambda bundle size as synthesized (index.mjs)',
        unit: 'KB',
        goal: { value: BENCHMARK_GOALS.maxBundleBytes / 1024, label: 'goal: 800 KB' },
        bars: [
          ...bundles.bundles.map((bundle) => ({ label: bundle.key, value: bundle.bytes / 1024, color: bundle.bytes > BENCHMARK_GOALS.maxBundleBytes ? '#c62828' : '#1565c0' })),
          { label: 'baseline: 1 client', value: bundles.baseline.bytes / 1024, color: '#9e9e9e' },
        ],
      }),
    );
    writeFileSync(
      path.join(PROJECT_ROOT, 'docs', charts.scale),
      renderLineChart({
        title: 'Sandbox wall time against concurrent releases',
        xLabel: 'releases at once',
        yLabel: 'wall milliseconds (median)',
        series: [{ label: 'wall ms for all releases', color: '#1565c0', points: scale.map((point) => ({ x: point.releases, y: Math.round(point.wallMs) })) }],
      }),
    );

    const document = renderBenchmarksDoc({
      generatedAt: new Date().toISOString(),
      machine: describeMachine(),
      totalSeconds: (performance.now() - started) / 1000,
      costRuns: RUNS.cost,
      costs,
      rollbackBakeSeconds: BAKES_SECONDS[0],
      rollbacks,
      bundles,
      scale,
      scaleRuns: RUNS.scale,
      synth,
      tests,
      charts,
    });
    writeFileSync(path.join(PROJECT_ROOT, 'docs', 'benchmarks.md'), document);
    log(`wrote docs/benchmarks.md and docs/benchmarks/*.svg in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    rmSync(cdkOut, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
