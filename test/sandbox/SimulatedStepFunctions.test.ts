import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { seedExampleService, type ExampleService } from '../../sandbox/account/seedExampleService.ts';
import { LocalRunner } from '../../sandbox/localRunner.ts';

const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('Class: SimulatedStepFunctions', () => {
  const account = new SimulatedAccount();
  const client = new SFNClient({ region: 'eu-west-1' });
  let runner: LocalRunner;
  let example: ExampleService;

  const input = (requestedBy = 'ci'): string =>
    JSON.stringify({ service: example.service, environment: example.environment, image: { repository: example.repository, digest: DIGEST }, requestedBy });

  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    account.install();
  });

  afterAll(() => {
    account.uninstall();
  });

  beforeEach(() => {
    account.reset();
    runner = new LocalRunner({ account });
    example = seedExampleService(account);
  });

  describe('Method: StartExecution', () => {
    it('runs a real execution of the release machine, returns it again for the same name and input while it runs, and refuses any other reuse of the name', async () => {
      // Prepare
      const stateMachineArn = runner.releaseStateMachineArn();
      const answers: Record<string, unknown> = {};

      // Act
      const results = await runner.runTriggered(async () => {
        answers.first = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'web-release-7', input: input() }));
        answers.again = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'web-release-7', input: input() }));
        answers.otherInput = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'web-release-7', input: input('someone else') })).catch((error: Error) => error.name);
        answers.whileRunning = (await client.send(new DescribeExecutionCommand({ executionArn: String((answers.first as { executionArn: string }).executionArn) }))).status;
      });
      const afterEnd = await runner.runTriggered(async () => {
        answers.afterEnd = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'web-release-7', input: input() })).catch((error: Error) => error.name);
      });
      const described = await client.send(new DescribeExecutionCommand({ executionArn: results[0]?.executionArn }));

      // Assess
      expect(results.map((result) => [result.executionName, result.status])).toEqual([['web-release-7', 'SUCCEEDED']]);
      expect(answers.first).toMatchObject({ executionArn: results[0]?.executionArn, startDate: results[0]?.startedAt });
      expect(answers.again).toMatchObject({ executionArn: results[0]?.executionArn, startDate: results[0]?.startedAt });
      expect(answers.otherInput).toBe('ExecutionAlreadyExists');
      expect(answers.whileRunning).toBe('RUNNING');
      expect(afterEnd).toEqual([]);
      expect(answers.afterEnd).toBe('ExecutionAlreadyExists');
      expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'web-release-7', stateMachineArn, input: input() });
      expect(account.elbv2.weights(example.productionListenerRuleArn).find((group) => group.targetGroupArn === example.green.targetGroupArn)?.weight).toBe(100);
    });

    it('refuses invalid names, unknown state machines and input that is not JSON', async () => {
      // Prepare
      const stateMachineArn = runner.releaseStateMachineArn();
      const start = (request: { name?: string; input?: string; stateMachineArn?: string }): Promise<string> =>
        client.send(new StartExecutionCommand({ stateMachineArn, input: input(), ...request })).then(
          () => 'started',
          (error: Error) => error.name,
        );
      const answers: string[] = [];

      // Act
      const results = await runner.runTriggered(async () => {
        answers.push(await start({ name: 'web prod' }));
        answers.push(await start({ name: 'web:prod' }));
        answers.push(await start({ name: 'x'.repeat(81) }));
        answers.push(await start({ name: 'json', input: '{not json' }));
        answers.push(await start({ name: 'elsewhere', stateMachineArn: `${stateMachineArn}-other` }));
        answers.push(await start({ name: 'bad-arn', stateMachineArn: 'cutover-sandbox-release' }));
      });
      const outsideRun = await start({ name: 'no-runner' });

      // Assess
      expect(answers).toEqual(['InvalidName', 'InvalidName', 'ValidationException', 'InvalidExecutionInput', 'StateMachineDoesNotExist', 'InvalidArn']);
      expect(results).toEqual([]);
      expect(outsideRun).toBe('StateMachineDoesNotExist');
    });
  });
});
