import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { planTraffic } from '../lambdas/domain/planTraffic.ts';
import { releaseExecutionName } from '../lambdas/domain/releaseExecutionName.ts';
import type { ReleaseContext, StepState } from '../lambdas/domain/releaseState.ts';
import type { StrategyStep } from '../lambdas/domain/serviceConfig.ts';
import type { AwsCall } from './account/CallLog.ts';
import { ecrImageActionEvent } from './account/ecrImageActionEvent.ts';
import { SimulatedAccount } from './account/SimulatedAccount.ts';
import { seedExampleService, type ExampleService } from './account/seedExampleService.ts';
import { EXPECTED_OUTCOMES, arrangeScenario } from './arrangeScenario.ts';
import { InvariantMonitor } from './InvariantMonitor.ts';
import { rehearsePromotion } from './rehearsePromotion.ts';
import { DEFAULT_START_AT, LocalRunner, SANDBOX_STATE_MACHINE_NAME, type ExecutionEvent, type LocalRunResult } from './localRunner.ts';
import { SandboxScenario, type SandboxOptions } from './parseSandboxArgs.ts';
import { worstOutcome, type ReleaseReport, type SandboxOutcome, type SandboxReport, type TimelineEntry, type TimelineKind } from './sandboxReport.ts';

/** What a rehearsal needs of the command line. */
export type RehearsalOptions = Pick<SandboxOptions, 'scenario' | 'steps' | 'bakeSeconds' | 'releases'>;

type Color = 'blue' | 'green';
type Weights = { blue: number; green: number };

/** The strategy steps the options ask for, or undefined for the example service's own strategy. */
export function strategyStepsFor(options: Pick<SandboxOptions, 'steps' | 'bakeSeconds'>): StrategyStep[] | undefined {
  if (options.steps === undefined && options.bakeSeconds === undefined) return undefined;
  const bakeSeconds = options.bakeSeconds ?? 300;
  return (options.steps ?? [10, 50, 100]).flatMap((weight): StrategyStep[] =>
    weight < 100 && bakeSeconds > 0 ? [{ setWeight: weight }, { pause: { durationSeconds: bakeSeconds } }] : [{ setWeight: weight }],
  );
}

/** The names of the services a rehearsal of `count` releases seeds: `web` alone, else `svc-01`, `svc-02`, … of one width. */
export function sandboxServiceNames(count: number): string[] {
  if (count === 1) return ['web'];
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, index) => `svc-${String(index + 1).padStart(width, '0')}`);
}

const shortArn = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);
const shortImage = (uri: string): string => uri.replace(/^.*\//, '').replace(/@sha256:([a-f0-9]{12})[a-f0-9]+$/, '@sha256:$1…');
const planText = (release: ReleaseContext): string =>
  release.plan.map((phase) => `${phase.weight} %${phase.manual ? ' until promoted' : phase.bakeSeconds > 0 ? ` for ${phase.bakeSeconds} s` : ''}`).join(' → ');
const causeText = (cause: string | undefined): string => {
  if (cause === undefined) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return parsed.errorMessage ?? cause;
  } catch {
    return cause;
  }
};

/**
 * Rehearses `options.releases` releases of example services at once, in one simulated account on one virtual clock,
 * with the scenario's faults: the shipped state machine and handlers run, the invariants are checked after every
 * mutation and at the end of each release. `onEntry` receives each timeline entry as it happens.
 */
export async function rehearseRelease(options: RehearsalOptions, onEntry: (entry: TimelineEntry) => void = () => {}): Promise<SandboxReport> {
  if (options.scenario === SandboxScenario.Promotion) return rehearsePromotion(options, onEntry);
  const wallStart = performance.now();
  const account = new SimulatedAccount().install();
  try {
    const steps = strategyStepsFor(options);
    const examples = sandboxServiceNames(options.releases).map((service) => seedExampleService(account, { service, ...(steps === undefined ? {} : { steps }) }));
    const first = examples[0];
    if (first === undefined) throw new Error('a rehearsal needs at least one release');
    const plan = planTraffic((first.config.strategy as { steps: StrategyStep[] }).steps, Number(first.config.terminationWaitSeconds));
    const firstBake = plan.find((phase) => phase.bakeSeconds > 0 || phase.manual);

    const runner = new LocalRunner({ account });
    const byPush = options.scenario === SandboxScenario.EcrPush;
    const digestOf = (example: ExampleService): string => `sha256:${createHash('sha256').update(`${example.service} v2`).digest('hex')}`;
    // A push starts the execution onImagePushed names; otherwise the rehearsal starts one of its own name.
    const executionNameOf = (example: ExampleService): string =>
      byPush ? releaseExecutionName(example.service, example.environment, digestOf(example)) : `${example.service}-release-1`;
    const monitor = new InvariantMonitor(account);
    for (const example of examples) monitor.track(example, account.sfn.executionArn('cutover-sandbox-release', executionNameOf(example)));
    const byExecution = new Map(examples.map((example) => [account.sfn.executionArn('cutover-sandbox-release', executionNameOf(example)), example] as const));
    const byRule = new Map(examples.map((example) => [example.productionListenerRuleArn, example] as const));
    const byAlarm = new Map(examples.flatMap((example) => example.alarmNames.map((name) => [name, example] as const)));
    const newColorOf = (example: ExampleService): Color => (monitor.baselineColor(example.service) === 'blue' ? 'green' : 'blue');
    arrangeScenario(options.scenario, {
      account,
      runner,
      releases: byExecution,
      firstBakeSeconds: firstBake === undefined ? 0 : firstBake.manual ? 86_400 : firstBake.bakeSeconds,
      phases: plan.length,
    });

    const timeline: TimelineEntry[] = [];
    const startMs = DEFAULT_START_AT.getTime();
    const weightsOf = (example: ExampleService): Weights => {
      const groups = account.elbv2.weights(example.productionListenerRuleArn);
      const weight = (arn: string): number => groups.find((group) => group.targetGroupArn === arn)?.weight ?? 0;
      return { blue: weight(example.blue.targetGroupArn), green: weight(example.green.targetGroupArn) };
    };
    const add = (example: ExampleService, kind: TimelineKind, label: string, text: string, extra: Partial<Pick<TimelineEntry, 'weights' | 'stateName'>> = {}, at = Date.now()): void => {
      const entry: TimelineEntry = { atMs: Math.max(0, at - startMs), service: example.service, kind, label, text, ...extra };
      timeline.push(entry);
      onEntry(entry);
    };
    const targetsText = (targetGroupArn: string): string => {
      const output = account.elbv2.operations.DescribeTargetHealth?.({ TargetGroupArn: targetGroupArn }) as { TargetHealthDescriptions: { TargetHealth: { State: string } }[] };
      const counts = new Map<string, number>();
      for (const description of output.TargetHealthDescriptions) counts.set(description.TargetHealth.State, (counts.get(description.TargetHealth.State) ?? 0) + 1);
      return counts.size === 0 ? 'no targets' : [...counts].map(([state, count]) => `${count} ${state}`).join(', ');
    };
    const alarmsText = (example: ExampleService): string => example.alarmNames.map((name) => `${name} ${account.cloudwatch.alarm(name)?.stateValue ?? 'missing'}`).join(', ');
    const triggers = new Map<string, number>();
    const lastErrors = new Map<string, string>();
    const rollbacksAnnounced = new Set<string>();
    // The interpreter's events reach the timeline a few microtasks after the state's function starts calling AWS: the
    // rollback (entered once per release) is announced by whichever comes first, its StateEntered event or its first call.
    const announceRollback = (example: ExampleService, at: number): void => {
      if (rollbacksAnnounced.has(example.service)) return;
      rollbacksAnnounced.add(example.service);
      add(example, 'state', 'Rollback', `rolling back (${lastErrors.get(example.service) ?? 'error'}): ${monitor.baselineColor(example.service)} back to 100 % first`, { stateName: 'Rollback' }, at);
    };

    runner.onEvent((event: ExecutionEvent) => {
      const example = event.executionArn === undefined ? undefined : byExecution.get(event.executionArn);
      if (example === undefined) return;
      const state = event.stateName ?? '';
      const output = event.output as Record<string, unknown> | undefined;
      const newColor = newColorOf(example);
      if (event.type === 'StateRetried') {
        add(example, 'retry', state, `retrying after ${lastErrors.get(example.service) ?? 'an error'}`, {}, event.at);
        return;
      }
      if (event.type === 'StateFailed') {
        if (event.error !== undefined) lastErrors.set(example.service, event.error);
        // A bake that times out has passed; a Fail state's failure is the outcome, reported at the end.
        if ((state === 'Bake' && event.error === 'States.Timeout') || event.stateType === 'Fail') return;
        add(example, 'failure', state, `${event.error ?? 'failed'}: ${causeText(event.cause)}`, {}, event.at);
        return;
      }
      if (event.type === 'TaskWaiting' && (state === 'RunMigration' || state === 'RunPostPromotionMigration')) {
        const task = account.ecs.oneOffTaskList().at(-1);
        add(example, 'state', state, `migration task running (${task?.command.join(' ') ?? 'no task: already succeeded for this digest'}), waiting for it to stop; no traffic has moved`, { stateName: state }, event.at);
        return;
      }
      if (event.type === 'StateEntered' && state === 'GateFailed') {
        add(example, 'state', state, `a gate failed before any traffic moved: ${newColor} back to 0 tasks, the release recorded Failed, the lock released`, { stateName: state, weights: weightsOf(example) }, event.at);
        return;
      }
      if (event.type === 'TaskWaiting' && state === 'Bake') {
        add(example, 'state', 'Bake', `watching the alarms (${alarmsText(example)})`, { stateName: state }, event.at);
        return;
      }
      if (event.type === 'StateEntered') {
        if (state === 'WaitForIdle') add(example, 'state', state, `next readiness check in ${String((event.input as { ready?: { waitSeconds?: number } } | undefined)?.ready?.waitSeconds ?? '?')} s`, { stateName: state }, event.at);
        if (state === 'BakeTimedOut') add(example, 'state', 'Bake', 'bake passed without an alarm', { stateName: state }, event.at);
        if (state === 'Rollback') announceRollback(example, event.at);
        return;
      }
      if (event.type !== 'StateExited' || output === undefined) return;
      switch (state) {
        case 'Prepare': {
          const release = output.release as ReleaseContext;
          add(
            example,
            'state',
            state,
            `live ${release.stable.color} (${release.stable.desiredCount} tasks on ${shortArn(release.stable.taskDefinitionArn)}); releasing ${shortImage(release.image.imageUri)} to ${release.idle.color}; plan ${planText(release)}`,
            { stateName: state, weights: weightsOf(example) },
            event.at,
          );
          return;
        }
        case 'Build':
          add(example, 'state', state, `registered ${shortArn(String((output.build as { taskDefinitionArn?: string } | undefined)?.taskDefinitionArn))} (image pinned to its digest)`, { stateName: state }, event.at);
          return;
        case 'DeployIdle': {
          const release = output.release as ReleaseContext;
          add(example, 'state', state, `${newColor} → ${shortArn(String((output.build as { taskDefinitionArn?: string }).taskDefinitionArn))}, ${release.stable.desiredCount} tasks`, { stateName: state }, event.at);
          return;
        }
        case 'CheckIdleReady': {
          const ready = output.ready as { ready: boolean; detail: string };
          add(example, 'health', 'targets', `${newColor}: ${targetsText(example[newColor].targetGroupArn)}`, {}, event.at);
          add(example, 'state', state, `${ready.ready ? 'ready' : 'not ready'}: ${ready.detail}`, { stateName: state }, event.at);
          return;
        }
        case 'ShiftTraffic': {
          const step = output.step as StepState;
          const release = output.release as ReleaseContext;
          add(example, 'state', state, `phase ${step.index + 1} of ${release.plan.length}: ${newColor} at ${step.weight} %${step.manual ? ', then wait for a promote' : step.bakeSeconds > 0 ? `, bake ${step.bakeSeconds} s` : ', check the alarms once'}`, { stateName: state }, event.at);
          return;
        }
        case 'CheckAlarms':
          add(example, 'state', state, `alarms: ${alarmsText(example)}`, { stateName: state }, event.at);
          return;
        case 'Bake':
          // A caught bake (timeout, alarm, abort) exits still wrapped in its Payload; a promoted one exits with the state.
          if ('Payload' in output) return;
          add(example, 'state', state, 'promoted by an operator', { stateName: state }, event.at);
          return;
        case 'Finalize':
          add(example, 'state', state, `${monitor.baselineColor(example.service)} scaled to 0; ledger: Succeeded; lock released`, { stateName: state }, event.at);
          return;
        case 'Rollback':
          add(example, 'state', state, `rolled back: ${String((output.rollback as { cause?: string } | undefined)?.cause ?? '')}`, { stateName: state }, event.at);
          return;
        default:
          return;
      }
    });

    account.onCall((call: AwsCall) => {
      if (call.operation === 'StartExecution' && call.origin?.actor === 'eventbridge') {
        const example = byExecution.get(account.sfn.executionArn(SANDBOX_STATE_MACHINE_NAME, String(call.input.name)));
        if (example !== undefined) add(example, 'state', 'onImagePushed', `StartExecution ${String(call.input.name)}${call.error === undefined ? '' : ` refused: ${call.error}`}`);
        return;
      }
      const fromExecution = call.origin?.executionArn === undefined ? undefined : byExecution.get(call.origin.executionArn);
      if (fromExecution !== undefined && call.origin?.stateName === 'Rollback') announceRollback(fromExecution, call.at);
      if (call.error !== undefined) {
        if (fromExecution !== undefined && /Throttl|ProvisionedThroughputExceeded/.test(call.error)) {
          add(fromExecution, 'fault', 'throttled', `${call.operation} refused with ${call.error} (${call.origin?.stateName ?? 'a state'} will retry)`);
        }
        return;
      }
      if (call.operation === 'ModifyRule') {
        const example = byRule.get(String(call.input.RuleArn));
        if (example === undefined) return;
        const weights = weightsOf(example);
        add(example, 'weights', 'traffic', `blue ${weights.blue} % / green ${weights.green} %`, { weights });
        return;
      }
      if (call.operation === 'SetAlarmState') {
        const example = byAlarm.get(String(call.input.AlarmName));
        if (example === undefined) return;
        if (call.origin?.actor === 'scenario' && !triggers.has(example.service)) triggers.set(example.service, call.at);
        add(example, 'alarm', 'alarm', `${String(call.input.AlarmName)} → ${String(call.input.StateValue)}: ${String(call.input.StateReason ?? '')}`);
        return;
      }
      if (call.operation === 'SendTaskFailure' || call.operation === 'SendTaskSuccess') {
        const token = String(call.input.taskToken);
        const owner = examples.find((example) => account.dynamodb.documents(account.tableName, `BAKE#${example.environment}#${example.service}`).some((bake) => bake.taskToken === token));
        const example = owner ?? fromExecution;
        if (example === undefined) return;
        if (call.origin?.actor === 'operator') {
          if (call.operation === 'SendTaskFailure' && !triggers.has(example.service)) triggers.set(example.service, call.at);
          add(example, 'operator', 'operator', call.operation === 'SendTaskFailure' ? `cutover abort: ${String(call.input.cause ?? '')}` : 'cutover promote');
        } else if (call.origin?.actor === 'eventbridge') {
          add(example, 'alarm', 'onAlarm', `EventBridge → onAlarm fails the bake with ${String(call.input.error)}`);
        }
      }
    });

    monitor.start();
    const requests = examples.map((example) => ({
      input: {
        service: example.service,
        environment: example.environment,
        image: { repository: example.repository, digest: digestOf(example) },
        requestedBy: 'sandbox',
      },
      options: { executionName: executionNameOf(example) },
    }));
    const results = byPush ? await releaseByPush(account, runner, examples, digestOf, (example, text) => add(example, 'state', 'ECR push', text)) : await runner.runAll(requests);
    monitor.stop();

    const calls = account.calls();
    const releases: ReleaseReport[] = results.map((result, index) => {
      const example = examples[index] as ExampleService;
      monitor.checkEnded(example.service, result);
      const previousColor = monitor.baselineColor(example.service);
      const newColor: Color = previousColor === 'blue' ? 'green' : 'blue';
      const weights = weightsOf(example);
      const liveColor: Color = weights.blue >= weights.green ? 'blue' : 'green';
      const outcome: SandboxOutcome = result.status === 'SUCCEEDED' ? 'Succeeded' : result.error === 'ReleaseRolledBack' ? 'RolledBack' : 'Failed';
      const ownModifyRules = calls.filter((call) => call.operation === 'ModifyRule' && call.error === undefined && call.origin?.executionArn === result.executionArn);
      const trafficShifted = ownModifyRules.some((call) => weightFor(call, example[newColor].targetGroupArn) > 0);
      const report: ReleaseReport = {
        service: example.service,
        executionName: result.executionName,
        outcome,
        ...(result.error === undefined ? {} : { error: result.error }),
        ...(result.cause === undefined ? {} : { cause: causeText(result.cause) }),
        previousColor,
        liveColor,
        weights,
        trafficShifted,
        stateTransitions: result.stateTransitions,
        rollbackTransitions: outcome === 'RolledBack' ? rollbackTransitionsOf(result, ownModifyRules, example[previousColor].targetGroupArn, triggers.get(example.service)) : null,
        releaseSeconds: (result.endedAt.getTime() - result.startedAt.getTime()) / 1000,
      };
      add(
        example,
        'outcome',
        outcome,
        `${outcome === 'Succeeded' ? `${liveColor} is live` : outcome === 'RolledBack' ? `${liveColor} is live again` : `${result.error ?? 'failed'}: ${report.cause ?? ''}`}; ${report.stateTransitions} state transitions${report.rollbackTransitions === null ? '' : `, ${report.rollbackTransitions} from the trigger to ${previousColor} at 100 %`}`,
        { weights },
        result.endedAt.getTime(),
      );
      return report;
    });
    for (const violation of monitor.violations) {
      const example = examples.find((candidate) => candidate.service === violation.service) ?? first;
      add(example, 'violation', `invariant ${violation.invariant}`, `${violation.message} (after ${violation.after})`, {}, Date.parse(violation.at));
    }

    const byOperation: Record<string, number> = {};
    for (const call of calls) byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
    const firstRelease = releases[0] as ReleaseReport;
    const rollbacks = releases.flatMap((release) => (release.rollbackTransitions === null ? [] : [release.rollbackTransitions]));
    return {
      scenario: options.scenario,
      outcome: worstOutcome(releases.map((release) => release.outcome)),
      expectedOutcome: EXPECTED_OUTCOMES[options.scenario],
      previousColor: firstRelease.previousColor,
      liveColor: firstRelease.liveColor,
      weights: firstRelease.weights,
      trafficShifted: releases.some((release) => release.trafficShifted),
      stateTransitions: releases.reduce((total, release) => total + release.stateTransitions, 0),
      rollbackTransitions: rollbacks.length === 0 ? null : Math.max(...rollbacks),
      awsCalls: { total: calls.length, byOperation },
      invariantViolations: [...monitor.violations],
      crossTalk: crossTalkOf(calls, examples, byExecution),
      releaseSeconds: Math.max(...releases.map((release) => release.releaseSeconds)),
      wallMs: Math.round(performance.now() - wallStart),
      releases,
      timeline,
    };
  } finally {
    account.uninstall();
  }
}

/**
 * Pushes each example's new image to ECR and lets EventBridge deliver the `ECR Image Action` to the shipped
 * onImagePushed handler, which starts the releases; reports them in the order of `examples`.
 */
async function releaseByPush(
  account: SimulatedAccount,
  runner: LocalRunner,
  examples: readonly ExampleService[],
  digestOf: (example: ExampleService) => string,
  announce: (example: ExampleService, text: string) => void,
): Promise<LocalRunResult[]> {
  const environments = new Set(examples.map((example) => example.environment));
  const [environment] = environments;
  if (environment === undefined || environments.size > 1) throw new Error('a push rehearsal releases into one environment');
  account.setFunctionEnvironment('onImagePushed', { CUTOVER_ENVIRONMENT: environment, STATE_MACHINE_ARN: runner.releaseStateMachineArn() });
  const tag = 'main-42';
  const results = await runner.runTriggered(() => {
    for (const example of examples) {
      const repositoryName = example.repository.slice(example.repository.lastIndexOf('/') + 1);
      const imageDigest = digestOf(example);
      account.ecr.seedImage(repositoryName, imageDigest, [tag]);
      announce(example, `${repositoryName}:${tag} pushed (${imageDigest.slice(0, 19)}…); EventBridge → onImagePushed`);
      account.deliverEvent('onImagePushed', ecrImageActionEvent({ accountId: account.accountId, region: account.region, repositoryName, imageDigest, imageTag: tag }));
    }
  });
  const failed = account.eventInvocations.find((invocation) => invocation.error !== undefined);
  if (failed !== undefined) throw new Error(`onImagePushed failed: ${failed.error ?? ''}: ${failed.errorMessage ?? ''}`);
  const byArn = new Map(results.map((result) => [result.executionArn, result] as const));
  return examples.map((example) => {
    const executionArn = account.sfn.executionArn(SANDBOX_STATE_MACHINE_NAME, releaseExecutionName(example.service, example.environment, digestOf(example)));
    const result = byArn.get(executionArn);
    if (result === undefined) throw new Error(`the push of ${example.service}'s image started no release ${executionArn}`);
    return result;
  });
}

function weightFor(call: AwsCall, targetGroupArn: string): number {
  const actions = (call.input.Actions ?? []) as { ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string; Weight?: number }[] } }[];
  for (const action of actions) {
    const group = action.ForwardConfig?.TargetGroups?.find((candidate) => candidate.TargetGroupArn === targetGroupArn);
    if (group !== undefined) return group.Weight ?? 0;
  }
  return 0;
}

/**
 * State transitions from the trigger (the alarm's state change or the operator's abort; without one, the start of
 * Rollback) up to and including the state whose function put the stable colour back at 100 %.
 */
function rollbackTransitionsOf(result: LocalRunResult, modifyRules: readonly AwsCall[], stableTargetGroupArn: string, triggerAt: number | undefined): number | null {
  const rollbackIndex = result.events.findIndex((event) => event.type === 'StateEntered' && event.stateName === 'Rollback');
  const from = triggerAt ?? result.events[rollbackIndex]?.at;
  if (from === undefined) return null;
  const restore = modifyRules.find((call) => call.at >= from && weightFor(call, stableTargetGroupArn) === 100);
  if (restore === undefined) return null;
  const restoringState = restore.origin?.stateName;
  let lastIndex = -1;
  result.events.forEach((event, index) => {
    if (event.type === 'StateEntered' && event.stateName === restoringState && event.at <= restore.at) lastIndex = index;
  });
  const firstIndex = triggerAt === undefined ? rollbackIndex : result.events.findIndex((event) => event.at >= triggerAt);
  if (firstIndex < 0 || lastIndex < firstIndex) return null;
  return result.events.slice(firstIndex, lastIndex + 1).filter((event) => event.type === 'StateEntered' || event.type === 'StateRetried').length;
}

/** Calls made by one release's functions whose request names another release's service, rule or target groups. */
function crossTalkOf(calls: readonly AwsCall[], examples: readonly ExampleService[], byExecution: ReadonlyMap<string, ExampleService>): string[] {
  if (examples.length < 2) return [];
  const markers = new Map(examples.map((example) => [example.service, [example.service, example.productionListenerRuleArn, example.blue.targetGroupArn, example.green.targetGroupArn]] as const));
  const findings: string[] = [];
  for (const call of calls) {
    const owner = call.origin?.executionArn === undefined ? undefined : byExecution.get(call.origin.executionArn);
    if (owner === undefined) continue;
    const text = JSON.stringify(call.input);
    for (const example of examples) {
      if (example === owner) continue;
      const touched = (markers.get(example.service) ?? []).find((marker) => text.includes(marker));
      if (touched !== undefined) findings.push(`${owner.service}'s ${call.origin?.stateName ?? 'function'} called ${call.service} ${call.operation} naming ${touched} of ${example.service}`);
    }
  }
  return findings;
}
