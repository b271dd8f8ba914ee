import { describe, expect, it } from 'vitest';
import { parseOperatorArgs, UsageError } from '../../../bin/cli/parseOperatorArgs.ts';

describe('Function: parseOperatorArgs', () => {
  it('parses a command with its service and environment and derives the table name', () => {
    // Act
    const args = parseOperatorArgs(['abort', '--service', 'web', '-e', 'prod', '--reason', 'error spike'], { USER: 'alice' });

    // Assess
    expect(args).toEqual({ command: 'abort', service: 'web', environment: 'prod', tableName: 'cutover-prod-releases', actor: 'alice', reason: 'error spike', json: false });
  });

  it('takes an explicit table and actor', () => {
    // Act
    const args = parseOperatorArgs(['status', '-s', 'web', '-e', 'dev', '--table', 'my-table', '--by', 'bob', '--json']);

    // Assess
    expect(args).toMatchObject({ command: 'status', tableName: 'my-table', actor: 'bob', json: true });
  });

  it.each([
    [[], 'missing command'],
    [['deploy', '-s', 'web', '-e', 'dev'], 'unknown command "deploy"'],
    [['abort', '-e', 'dev'], '--service is required'],
    [['abort', '-s', 'web'], '--environment is required'],
    [['abort', '-s', 'Web_1', '-e', 'dev'], '--service must be'],
    [['abort', '-s', 'web', '-e', 'dev', 'extra'], 'unexpected argument "extra"'],
    [['abort', '-s', 'web', '-e', 'dev', '--force'], "Unknown option '--force'"],
  ])('rejects %j with a usage error', (argv, message) => {
    // Act
    const act = () => parseOperatorArgs(argv);

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(message);
  });
});
