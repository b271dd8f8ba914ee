import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../bin/cli/parseOperatorArgs.ts';
import { parseReleaseArgs } from '../../../bin/cli/parseReleaseArgs.ts';

const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('Function: parseReleaseArgs', () => {
  it('parses a release by tag with the default table, state machine name and actor', () => {
    // Act
    const args = parseReleaseArgs(['release', '-s', 'web', '-e', 'prod', '--image', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:v1.2'], { USER: 'alice' });

    // Assess
    expect(args).toEqual({
      command: 'release',
      service: 'web',
      environment: 'prod',
      tableName: 'cutover-prod-releases',
      stateMachineName: 'cutover-prod-release',
      image: { repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web', tag: 'v1.2' },
      actor: 'alice',
      limit: 20,
      json: false,
    });
  });

  it('parses a release by digest and gives --again a suffix', () => {
    // Act
    const args = parseReleaseArgs(['release', '-s', 'web', '-e', 'prod', '--image', `web@${DIGEST}`, '--again'], {}, () => 'k3x9q2');

    // Assess
    expect(args.image).toEqual({ repository: 'web', digest: DIGEST });
    expect(args.again).toBe('k3x9q2');
  });

  it('gives --again a random suffix of six lowercase letters or digits', () => {
    // Act
    const args = parseReleaseArgs(['release', '-s', 'web', '-e', 'prod', '--image', 'web:v1', '--again']);

    // Assess
    expect(args.again).toMatch(/^[a-z0-9]{6}$/);
  });

  it('parses history with a limit', () => {
    // Act
    const args = parseReleaseArgs(['history', '-s', 'web', '-e', 'prod', '--limit', '5', '--json']);

    // Assess
    expect(args).toMatchObject({ command: 'history', limit: 5, json: true });
    expect(args.image).toBeUndefined();
  });

  it.each([
    [['release', '-s', 'web', '-e', 'prod'], '--image is required'],
    [['release', '-s', 'web', '-e', 'prod', '--image', 'web'], 'names no tag or digest'],
    [['release', '-s', 'web', '-e', 'prod', '--image', 'web@sha256:abc'], 'image.digest'],
    [['release', '-s', 'web', '-e', 'prod', '--image', 'Web:v1'], 'image.repository'],
    [['history', '-s', 'web', '-e', 'prod', '--again'], '--image and --again belong to release'],
    [['history', '-s', 'web', '-e', 'prod', '--limit', '0'], '--limit must be'],
    [['release', '-s', 'web', '-e', 'prod', '--image', 'web:v1', '--state-machine-arn', 'nope'], '--state-machine-arn'],
    [['deploy', '-s', 'web', '-e', 'prod'], 'unknown command "deploy"'],
  ])('rejects %j with a UsageError', (argv, message) => {
    // Act
    const act = () => parseReleaseArgs(argv);

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(message);
  });
});
