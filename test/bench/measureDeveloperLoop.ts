import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './median.ts';

/** One timed command. */
export interface TimedCommand {
  readonly command: string;
  /** Median wall seconds over the runs. */
  readonly seconds: number;
  readonly runs: readonly number[];
  /** What the last run reported, for the reader (e.g. `467 tests: 459 passed, 8 failed`). */
  readonly note: string;
  readonly exitCodes: readonly number[];
}

/** Runs a command to its end and returns its exit code, wall seconds and output. */
export function timeCommand(command: string, args: readonly string[], cwd: string, environment: NodeJS.ProcessEnv = process.env): Promise<{ code: number; seconds: number; output: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, [...args], { cwd, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, seconds: (performance.now() - start) / 1000, output }));
  });
}

/** Whether `unshare -rn` (a user namespace without network) works here, to keep `cdk synth` provably offline. */
async function canUnshare(cwd: string): Promise<boolean> {
  try {
    return (await timeCommand('unshare', ['-rn', 'true'], cwd)).code === 0;
  } catch {
    return false;
  }
}

/**
 * Times `cdk synth --quiet` into a fresh output directory `runs` times, offline. Returns the timing and the output
 * directory of the last run (kept for the bundle measurements; the caller removes it).
 */
export async function timeSynth(projectRoot: string, runs: number): Promise<{ timing: TimedCommand; cdkOut: string }> {
  const offline = await canUnshare(projectRoot);
  const seconds: number[] = [];
  const codes: number[] = [];
  let failure: string | undefined;
  let cdkOut = '';
  for (let run = 0; run < runs; run++) {
    if (cdkOut !== '') rmSync(cdkOut, { recursive: true, force: true });
    cdkOut = mkdtempSync(path.join(tmpdir(), 'cutover-bench-synth-'));
    const args = ['cdk', 'synth', '--quiet', '--no-notices', '-o', cdkOut];
    const result = offline ? await timeCommand('unshare', ['-rn', 'npx', ...args], projectRoot) : await timeCommand('npx', args, projectRoot);
    // cdk-nag findings fail the command after the template and the bundles are written: time it and say so.
    if (result.code !== 0 && (!existsSync(cdkOut) || !readdirSync(cdkOut).some((name) => name.endsWith('.template.json')))) {
      rmSync(cdkOut, { recursive: true, force: true });
      throw new Error(`cdk synth failed (exit ${result.code}):\n${result.output.slice(-2000)}`);
    }
    if (result.code !== 0) failure = result.output.split('\n').find((line) => line.startsWith('ERROR')) ?? `exit ${result.code}`;
    seconds.push(result.seconds);
    codes.push(result.code);
  }
  return {
    timing: {
      command: `${offline ? 'unshare -rn ' : ''}npx cdk synth --quiet --no-notices -o <fresh dir>`,
      seconds: median(seconds),
      runs: seconds,
      note:
        (offline ? 'no network namespace: provably offline; bundles every function with esbuild' : 'unshare unavailable: ran without a network namespace') +
        (failure === undefined ? '' : `; the synth reported a validation error after writing the template and bundles: ${failure}`),
      exitCodes: codes,
    },
    cdkOut,
  };
}

/** Times `npm test` (vitest run: test/**\/*.test.ts only, so never the benchmarks) `runs` times. */
export async function timeTests(projectRoot: string, runs: number): Promise<TimedCommand> {
  const seconds: number[] = [];
  const codes: number[] = [];
  let note = '';
  for (let run = 0; run < runs; run++) {
    const result = await timeCommand('npm', ['test', '--silent'], projectRoot, { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' });
    seconds.push(result.seconds);
    codes.push(result.code);
    const tests = /Tests\s+(.+?)\s*\((\d+)\)/.exec(result.output);
    note = tests === null ? `exit ${result.code}` : `${tests[2]} tests: ${(tests[1] ?? '').replace(/\s*\|\s*/g, ', ')}`;
  }
  return { command: 'npm test', seconds: median(seconds), runs: seconds, note, exitCodes: codes };
}
