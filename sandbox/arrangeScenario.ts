import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { ExecutionAdapter } from '../lambdas/adapters/ExecutionAdapter.ts';
import { ReleaseTable } from '../lambdas/adapters/ReleaseTable.ts';
import { runOperatorCommand } from '../lambdas/domain/runOperatorCommand.ts';
import type { SimulatedAccount } from './account/SimulatedAccount.ts';
import type { ExampleService } from './account/seedExampleService.ts';
import { callContext } from './callContext.ts';
import type { LocalRunner } from './localRunner.ts';
import { SandboxScenario, type SandboxScenarioValue } from './parseSandboxArgs.ts';
import type { SandboxOutcome } from './sandboxReport.ts';

/** What a scenario arranges its faults and actions on. */
export interface ScenarioContext {
  readonly account: SimulatedAccount;
  readonly runner: LocalRunner;
  /** The releases, by execution ARN. */
  readonly releases: ReadonlyMap<string, ExampleService>;
  /** The length of each release's first bake (or manual pause limit), in seconds. */
  readonly firstBakeSeconds: number;
  /** How many traffic phases each release's plan has. */
  readonly phases: number;
}

/** The outcome a user expects of each scenario. */
export const EXPECTED_OUTCOMES: Readonly<Record<SandboxScenarioValue, SandboxOutcome>> = {
  [SandboxScenario.Happy]: 'Succeeded',
  [SandboxScenario.AlarmDuringCanary]: 'RolledBack',
  [SandboxScenario.UnhealthyGreen]: 'RolledBack',
  [SandboxScenario.MigrationFails]: 'Failed',
  [SandboxScenario.Throttled]: 'Succeeded',
  [SandboxScenario.ManualRollback]: 'RolledBack',
  [SandboxScenario.CrashMidShift]: 'Succeeded',
  [SandboxScenario.EcrPush]: 'Succeeded',
  [SandboxScenario.Promotion]: 'Succeeded',
};

/** Virtual time passing inside a scenario action (the runner's clock is installed while it runs). */
function virtualDelay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * Arranges a scenario's faults and actions. Everything goes through the simulated AWS or the Lambda runtime layer:
 * an alarm is set with SetAlarmState (CloudWatch then emits its EventBridge event to onAlarm), an abort is the operator
 * CLI's own `abort` through the real adapters, a crash is a failed invocation of the shipped handler.
 */
export function arrangeScenario(scenario: SandboxScenarioValue, context: ScenarioContext): void {
  const { account, runner, releases } = context;
  const exampleOf = (executionArn: string): ExampleService => {
    const example = releases.get(executionArn);
    if (example === undefined) throw new Error(`no sandbox release runs as ${executionArn}`);
    return example;
  };
  const halfwayThroughFirstBakeMs = Math.floor((context.firstBakeSeconds * 1000) / 2);
  switch (scenario) {
    case SandboxScenario.Happy:
      return;
    case SandboxScenario.AlarmDuringCanary:
      runner.onTaskWaiting('Bake', async ({ occurrence, executionArn }) => {
        if (occurrence !== 1) return;
        await virtualDelay(halfwayThroughFirstBakeMs);
        const example = exampleOf(executionArn);
        const alarmName = example.alarmNames[0] ?? '';
        await callContext.run({ actor: 'scenario' }, () =>
          new CloudWatchClient({ region: account.region }).send(
            new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: 'ALARM', StateReason: 'Threshold Crossed: 1 datapoint [7.2 (%)] was greater than the threshold (1.0).' }),
          ),
        );
      });
      return;
    case SandboxScenario.UnhealthyGreen:
      for (const example of releases.values()) account.inject({ kind: 'targetsNeverHealthy', targetGroupArn: example.green.targetGroupArn });
      return;
    case SandboxScenario.Throttled:
      account.throttle('GetParameter', 1, 'ThrottlingException');
      account.throttle('TransactWriteItems', 1, 'ThrottlingException');
      account.throttle('UpdateService', 2, 'ThrottlingException');
      account.throttle('DescribeTargetHealth', 2, 'Throttling');
      account.throttle('ModifyRule', 2, 'Throttling');
      account.throttle('GetItem', 2, 'ProvisionedThroughputExceededException');
      return;
    case SandboxScenario.ManualRollback:
      runner.onTaskWaiting('Bake', async ({ occurrence, executionArn }) => {
        if (occurrence !== 1) return;
        await virtualDelay(halfwayThroughFirstBakeMs);
        const example = exampleOf(executionArn);
        const result = await callContext.run({ actor: 'operator' }, () =>
          runOperatorCommand(
            { command: 'abort', service: example.service, environment: example.environment, actor: 'alice', reason: 'error budget burning on the canary' },
            { store: new ReleaseTable(undefined, account.tableName), executions: new ExecutionAdapter() },
          ),
        );
        if (result.exitCode !== 0) throw new Error(`the operator's abort did nothing: ${result.message}`);
      });
      return;
    case SandboxScenario.EcrPush:
      // The push itself starts the releases: rehearseRelease delivers it instead of starting executions.
      return;
    case SandboxScenario.Promotion:
      // Three environments in one account: sandbox/rehearsePromotion.ts arranges the push, the promotions and the approval.
      return;
    case SandboxScenario.CrashMidShift:
      runner.injectFunctionFault({ key: 'shiftTraffic', invocation: Math.min(2, context.phases), when: 'after', errorType: 'Sandbox.Timedout' });
      return;
    case SandboxScenario.MigrationFails:
      // The services configure a migration; each release's migration task runs for 90 s and exits 1.
      for (const example of releases.values()) {
        account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, migration: { command: ['npm', 'run', 'migrate'], timeoutSeconds: 900 } }, null, 2));
        account.ecs.scriptOneOffTasks({ exitCode: 1, runSeconds: 90 });
      }
      return;
  }
}
