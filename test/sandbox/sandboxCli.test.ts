import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../sandbox/lambdaRuntime.ts';
import type { SandboxReport } from '../../sandbox/sandboxReport.ts';

const runSandbox = (args: readonly string[]): { status: number | null; stdout: string; stderr: string } => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'sandbox/cli.ts', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' } });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
};
const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1) ?? '';

describe('Command: npm run sandbox', () => {
  it('prints a readable timeline and a JSON report as its last line', () => {
    // Prepare
    const chartPath = path.join(mkdtempSync(path.join(tmpdir(), 'cutover-sandbox-')), 'weights.svg');

    // Act
    const run = runSandbox(['--scenario', 'alarm-during-canary', '--json', '--chart', chartPath]);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/00:01:08 {2}web {2}▶ traffic {8}blue 90 % \/ green 10 %/);
    expect(run.stdout).toContain('Rollback       rolling back (AlarmFired)');
    const report = JSON.parse(lastLine(run.stdout)) as SandboxReport;
    expect(report).toMatchObject({ scenario: 'alarm-during-canary', outcome: 'RolledBack', previousColor: 'blue', liveColor: 'blue', weights: { blue: 100, green: 0 }, trafficShifted: true, rollbackTransitions: 2, invariantViolations: [] });
    expect(report.awsCalls.total).toBeGreaterThan(0);
    expect(typeof report.wallMs).toBe('number');
    expect(report.timeline.length).toBeGreaterThan(10);
    expect(readFileSync(chartPath, 'utf8')).toContain('<polyline');
  });

  it('exits 2 with the usage text on a bad option', () => {
    // Act
    const run = runSandbox(['--steps', '50,10']);

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('sandbox: --steps must strictly increase, got 50,10');
    expect(run.stderr).toContain('usage: npm run sandbox');
    expect(run.stdout).toBe('');
  });

  it('shows a failed migration in the timeline: Failed with MigrationFailed, no traffic moved', () => {
    // Act
    const run = runSandbox(['--scenario', 'migration-fails', '--json']);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('migration task running (npm run migrate)');
    expect(run.stdout).toMatch(/MigrationFailed: migration task arn:aws:ecs:\S+ container web exited with code 1/);
    expect(run.stdout).toContain('a gate failed before any traffic moved: green back to 0 tasks');
    const report = JSON.parse(lastLine(run.stdout)) as SandboxReport;
    expect(report).toMatchObject({ scenario: 'migration-fails', outcome: 'Failed', expectedOutcome: 'Failed', weights: { blue: 100, green: 0 }, trafficShifted: false, invariantViolations: [] });
  });
});
