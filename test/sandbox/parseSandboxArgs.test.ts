import { describe, expect, it } from 'vitest';
import { parseSandboxArgs, SandboxUsageError } from '../../sandbox/parseSandboxArgs.ts';

describe('Function: parseSandboxArgs', () => {
  it('defaults to one happy release with the example strategy', () => {
    // Act
    const options = parseSandboxArgs([]);

    // Assess
    expect(options).toEqual({ scenario: 'happy', releases: 1, json: false, help: false });
  });

  it('reads the scenario, steps, bake, releases, chart and json flags', () => {
    // Act
    const options = parseSandboxArgs(['--scenario', 'alarm-during-canary', '--steps', '10,50,100', '--bake-seconds', '60', '--releases', '20', '--chart', 'out.svg', '--json']);

    // Assess
    expect(options).toEqual({ scenario: 'alarm-during-canary', steps: [10, 50, 100], bakeSeconds: 60, releases: 20, chartPath: 'out.svg', json: true, help: false });
  });

  it('reads the promotion scenario', () => {
    // Act
    const options = parseSandboxArgs(['--scenario', 'promotion']);

    // Assess
    expect(options).toEqual({ scenario: 'promotion', releases: 1, json: false, help: false });
  });

  it.each([
    [['--scenario', 'chaos'], /unknown scenario "chaos"/],
    [['--steps', '50,10'], /--steps must strictly increase/],
    [['--steps', '10,,100'], /--steps must be comma-separated/],
    [['--steps', '0,100'], /--steps must be between 1 and 100/],
    [['--bake-seconds=1.5'], /--bake-seconds must be a whole number/],
    [['--releases', '0'], /--releases must be between 1 and 200/],
    [['--chart', 'out.png'], /--chart must name an \.svg file/],
    [['--scenario', 'promotion', '--releases', '3'], /--releases does not apply to the promotion scenario/],
    [['--colour', 'red'], /Unknown option '--colour'/],
    [['happy'], /positional/i],
  ])('refuses %j with a usage error', (argv, message) => {
    // Act
    const act = (): unknown => parseSandboxArgs(argv);

    // Assess
    expect(act).toThrow(SandboxUsageError);
    expect(act).toThrow(message);
  });
});
