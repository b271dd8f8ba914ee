import { readFileSync } from 'node:fs';
import { DescribeRulesCommand, ElasticLoadBalancingV2Client, ModifyRuleCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SSMClient, PutParameterCommand } from '@aws-sdk/client-ssm';
import { runPlanCommand } from '../../bin/cli/runPlanCommand.ts';
import { runReleaseCommand } from '../../bin/cli/runReleaseCommand.ts';
import { parseReleaseArgs } from '../../bin/cli/parseReleaseArgs.ts';
import { parseOperatorArgs } from '../../bin/cli/parseOperatorArgs.ts';
import { AlarmAdapter } from '../../lambdas/adapters/AlarmAdapter.ts';
import { EcrAdapter } from '../../lambdas/adapters/EcrAdapter.ts';
import { EcsAdapter } from '../../lambdas/adapters/EcsAdapter.ts';
import { ExecutionAdapter } from '../../lambdas/adapters/ExecutionAdapter.ts';
import { LoadBalancerAdapter } from '../../lambdas/adapters/LoadBalancerAdapter.ts';
import { ParameterAdapter } from '../../lambdas/adapters/ParameterAdapter.ts';
import { ReleaseTable } from '../../lambdas/adapters/ReleaseTable.ts';
import type { PrepareReleasePorts } from '../../lambdas/domain/prepareRelease.ts';
import { runOperatorCommand } from '../../lambdas/domain/runOperatorCommand.ts';
import { parseServiceConfig } from '../../lambdas/domain/serviceConfig.ts';
import { slackParameterNames } from '../../lambdas/domain/slackParameterNames.ts';
import { verifySlackSignature } from '../../lambdas/domain/verifySlackSignature.ts';
import { signSlackRequest } from '../support/signSlackRequest.ts';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { LocalRunner } from '../../sandbox/localRunner.ts';
import { type ExampleService, seedExampleService } from '../../sandbox/account/seedExampleService.ts';

const RUNBOOKS = new URL('../../docs/runbooks/', import.meta.url);
const runbook = (name: string): string => readFileSync(new URL(name, RUNBOOKS), 'utf8');

/** The fenced blocks of a runbook in one language. */
function blocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1] ?? '');
}

/** The arguments after `bin/cutover.ts` of the documented command that starts with `command`. */
function cliArgs(text: string, command: string, substitutions: Readonly<Record<string, string>>): string[] {
  const line = blocks(text, 'sh')
    .flatMap((block) => block.split('\n'))
    .map((raw) => raw.trim())
    .find((raw) => raw.startsWith(`npx tsx bin/cutover.ts ${command} `));
  if (line === undefined) throw new Error(`no documented "cutover ${command}" command`);
  let filled = line.replace('npx tsx bin/cutover.ts ', '');
  for (const [placeholder, value] of Object.entries(substitutions)) filled = filled.replaceAll(placeholder, value);
  return [...filled.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}

const DIGEST = `sha256:${'1'.repeat(64)}`;
const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:cutover-prod-release';

describe('Runbooks against the simulated account', () => {
  let account: SimulatedAccount;
  let example: ExampleService;
  let ports: PrepareReleasePorts;

  beforeEach(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    account = new SimulatedAccount().install();
    example = seedExampleService(account);
    ports = {
      parameters: new ParameterAdapter(),
      loadBalancer: new LoadBalancerAdapter(),
      ecs: new EcsAdapter(),
      alarms: new AlarmAdapter(),
      store: new ReleaseTable(undefined, account.tableName),
      executions: new ExecutionAdapter(),
      ecr: new EcrAdapter(),
    };
  });

  afterEach(() => {
    account.uninstall();
  });

  describe('Runbook: add-a-service.md', () => {
    it('documents a configuration parameter that cutover accepts once its placeholders are filled', () => {
      // Prepare
      const [command] = blocks(runbook('add-a-service.md'), 'sh').filter((block) => block.includes('aws ssm put-parameter'));
      const value = /--value '([\s\S]*?)'/.exec(command ?? '')?.[1] ?? '';
      const filled = value
        .replace('<blue target group ARN>', example.blue.targetGroupArn)
        .replace('<green target group ARN>', example.green.targetGroupArn)
        .replace('<listener rule ARN>', example.productionListenerRuleArn);

      // Act
      const config = parseServiceConfig('/cutover/prod/services/web', filled);

      // Assess
      expect(config).toMatchObject({ cluster: 'prod-apps', containerName: 'web', alarmNames: ['web-prod-5xx-rate', 'web-prod-p99-latency'] });
    });

    it('plans the release with the documented command and changes nothing', async () => {
      // Prepare
      const args = parseReleaseArgs(cliArgs(runbook('add-a-service.md'), 'plan', { '<digest>': '1'.repeat(64) }));

      // Act
      const result = await runPlanCommand(args, ports, STATE_MACHINE_ARN, new Date('2025-01-01T00:00:00.000Z'));

      // Assess
      expect(result.details.plan).toMatchObject({ liveColor: 'blue', idleColor: 'green', imageUri: `${example.repository}@${DIGEST}` });
      expect(result.message).toContain('nothing was changed');
      expect(account.log.calls().length).toBeGreaterThan(0);
      expect(account.log.mutatingCalls()).toEqual([]);
    });

    it('catches a misconfigured rule ARN without changing anything', async () => {
      // Prepare
      account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, productionListenerRuleArn: `${example.productionListenerRuleArn.slice(0, -4)}beef` }));
      const args = parseReleaseArgs(cliArgs(runbook('add-a-service.md'), 'plan', { '<digest>': '1'.repeat(64) }));

      // Act
      const attempt = runPlanCommand(args, ports, STATE_MACHINE_ARN, new Date());

      // Assess
      await expect(attempt).rejects.toMatchObject({ name: 'InvalidServiceConfig', message: expect.stringContaining('productionListenerRuleArn') });
      expect(account.log.mutatingCalls()).toEqual([]);
    });

    it('catches a missing alarm without changing anything', async () => {
      // Prepare
      account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, alarmNames: [...example.alarmNames, 'web-prod-missing'] }));
      const args = parseReleaseArgs(cliArgs(runbook('add-a-service.md'), 'plan', { '<digest>': '1'.repeat(64) }));

      // Act
      const attempt = runPlanCommand(args, ports, STATE_MACHINE_ARN, new Date());

      // Assess
      await expect(attempt).rejects.toMatchObject({ name: 'InvalidServiceConfig', message: expect.stringContaining('web-prod-missing') });
      expect(account.log.mutatingCalls()).toEqual([]);
    });
  });

  describe('Execution input: dryRun', () => {
    it('ends the shipped state machine successfully after Prepare with the plan, changing nothing', async () => {
      // Prepare
      const runner = new LocalRunner({ account });
      const input = { service: example.service, environment: example.environment, image: { repository: example.repository, digest: DIGEST }, dryRun: true };

      // Act
      const result = await runner.run(input);

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toMatchObject({ dryRun: true, liveColor: 'blue', idleColor: 'green' });
      expect(account.log.mutatingCalls()).toEqual([]);
      expect(account.dynamodb.documents(account.tableName, `LOCK#${example.environment}#${example.service}`)).toEqual([]);
    });

    it('fails the execution in Prepare for a missing alarm, changing nothing', async () => {
      // Prepare
      account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, alarmNames: ['web-prod-missing'] }));
      const runner = new LocalRunner({ account });

      // Act
      const result = await runner.run({ service: example.service, environment: example.environment, image: { repository: example.repository, digest: DIGEST }, dryRun: true });

      // Assess
      expect(result).toMatchObject({ status: 'FAILED', error: 'InvalidServiceConfig' });
      expect(account.log.mutatingCalls()).toEqual([]);
    });
  });

  describe('Runbook: manual-rollback.md', () => {
    it('puts the stable colour back at 100 with the documented modify-rule actions', async () => {
      // Prepare
      const elb = new ElasticLoadBalancingV2Client({});
      const split: Action[] = [
        { Type: 'forward', Order: 1, ForwardConfig: { TargetGroups: [{ TargetGroupArn: example.blue.targetGroupArn, Weight: 50 }, { TargetGroupArn: example.green.targetGroupArn, Weight: 50 }] } },
      ];
      await elb.send(new ModifyRuleCommand({ RuleArn: example.productionListenerRuleArn, Actions: split }));
      const [json] = blocks(runbook('manual-rollback.md'), 'json');
      const actions = JSON.parse(
        (json ?? '').replace('<blue.targetGroupArn>', example.blue.targetGroupArn).replace('<green.targetGroupArn>', example.green.targetGroupArn),
      ) as Action[];

      // Act
      await elb.send(new ModifyRuleCommand({ RuleArn: example.productionListenerRuleArn, Actions: actions }));

      // Assess
      const { Rules } = await elb.send(new DescribeRulesCommand({ RuleArns: [example.productionListenerRuleArn] }));
      const weights = Rules?.[0]?.Actions?.find((action) => action.Type === 'forward')?.ForwardConfig?.TargetGroups?.map((group) => [group.TargetGroupArn, group.Weight]);
      expect(weights).toEqual([
        [example.blue.targetGroupArn, 100],
        [example.green.targetGroupArn, 0],
      ]);
    });
  });

  describe('Runbook: stuck-release.md', () => {
    it('shows the service status with the documented command', async () => {
      // Prepare
      const args = parseOperatorArgs(cliArgs(runbook('stuck-release.md'), 'status', {}));

      // Act
      const result = await runOperatorCommand({ ...args }, { store: new ReleaseTable(undefined, account.tableName), executions: new ExecutionAdapter() });

      // Assess
      expect(result).toMatchObject({ exitCode: 0, message: 'web in prod: no release in progress' });
    });
  });

  describe('Runbook: migration-failed.md', () => {
    const migration = { command: ['npm', 'run', 'migrate'], timeoutSeconds: 600 };

    it('finds the failure and its logs, sees nothing held, and runs the migration anew with the documented release --again', async () => {
      // Prepare
      account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, terminationWaitSeconds: 0, migration }));
      account.ecs.scriptOneOffTasks({ exitCode: 1, runSeconds: 45 });
      const runner = new LocalRunner({ account });
      const failed = await runner.run({ service: example.service, environment: example.environment, image: { repository: example.repository, digest: DIGEST }, requestedBy: 'ci' });
      const store = new ReleaseTable(undefined, account.tableName);
      const text = runbook('migration-failed.md');

      // Act
      const history = await runReleaseCommand(parseReleaseArgs(cliArgs(text, 'history', {})), { ecr: new EcrAdapter(), executions: new ExecutionAdapter(), store, stateMachineArn: () => Promise.resolve(runner.releaseStateMachineArn()) });
      const status = await runOperatorCommand(parseOperatorArgs(cliArgs(text, 'status', {})), { store, executions: new ExecutionAdapter() });
      const releaseArgs = parseReleaseArgs(cliArgs(text, 'release', { '<repository>': example.repository, '<digest>': '1'.repeat(64) }));
      account.ecs.scriptOneOffTasks({ exitCode: 0, runSeconds: 30 });
      const results: { exitCode: number }[] = [];
      const [again] = await runner.runTriggered(async () => {
        results.push(await runReleaseCommand(releaseArgs, { ecr: new EcrAdapter(), executions: new ExecutionAdapter(), store, stateMachineArn: () => Promise.resolve(runner.releaseStateMachineArn()) }));
      });

      // Assess
      expect(failed).toMatchObject({ status: 'FAILED', error: 'MigrationFailed' });
      expect(history.message).toContain('Failed');
      expect(history.message).toMatch(/migration gate failed, no traffic moved: MigrationFailed: migration task arn:aws:ecs:\S+: container web exited with code 1; /);
      expect(status).toMatchObject({ exitCode: 0, message: 'web in prod: no release in progress' });
      expect(releaseArgs.again).toMatch(/^[a-z0-9]{6}$/);
      expect(results).toEqual([expect.objectContaining({ exitCode: 0 })]);
      expect(again?.status).toBe('SUCCEEDED');
      expect(account.calls('RunTask').filter((call) => call.error === undefined)).toHaveLength(2);
    });
  });

  describe('Runbook: rotate-slack-secrets.md', () => {
    /** The documented `aws ssm put-parameter` commands, as name, type, overwrite and value. */
    const putParameters = (): { name: string; type: string; overwrite: boolean; value: string }[] =>
      blocks(runbook('rotate-slack-secrets.md'), 'sh')
        .flatMap((block) => block.split('\n'))
        .filter((line) => line.trim().startsWith('aws ssm put-parameter '))
        .map((line) => ({
          name: /--name (\S+)/.exec(line)?.[1] ?? '',
          type: /--type (\S+)/.exec(line)?.[1] ?? '',
          overwrite: line.includes(' --overwrite'),
          value: /--value '([^']*)'/.exec(line)?.[1] ?? '',
        }));

    it('writes, as SecureStrings, the very parameters the Slack handlers read, and the new signing secret is the one that verifies', async () => {
      // Prepare
      const names = slackParameterNames('prod');
      account.ssm.seedParameter(names.signingSecret, 'old-signing-secret', 'SecureString');
      account.ssm.seedParameter(names.botToken, 'xoxb-old', 'SecureString');
      const documented = putParameters();
      const rotated = { [names.signingSecret]: 'new-signing-secret', [names.botToken]: 'xoxb-new' };

      // Act
      const ssm = new SSMClient({});
      for (const command of documented) {
        await ssm.send(new PutParameterCommand({ Name: command.name, Type: command.type as 'SecureString', Overwrite: command.overwrite, Value: rotated[command.name] ?? command.value }));
      }
      const signingSecret = (await new ParameterAdapter().getParameter(names.signingSecret)) ?? '';
      const timestamp = '1735689600';
      const rawBody = 'command=%2Fcutover&text=status+web+prod';
      const verify = (secret: string): boolean =>
        verifySlackSignature({ signingSecret, timestamp, rawBody, signature: signSlackRequest(secret, timestamp, rawBody), nowSeconds: Number(timestamp) });

      // Assess
      expect(documented.map(({ name, type, overwrite }) => ({ name, type, overwrite }))).toEqual([
        { name: names.signingSecret, type: 'SecureString', overwrite: true },
        { name: names.botToken, type: 'SecureString', overwrite: true },
      ]);
      expect(signingSecret).toBe('new-signing-secret');
      expect(await new ParameterAdapter().getParameter(names.botToken)).toBe('xoxb-new');
      expect(verify('new-signing-secret')).toBe(true);
      expect(verify('old-signing-secret')).toBe(false);
    });
  });
});
