import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ApprovalTable } from '../lambdas/adapters/ApprovalTable.ts';
import { ExecutionAdapter } from '../lambdas/adapters/ExecutionAdapter.ts';
import { ReleaseTable } from '../lambdas/adapters/ReleaseTable.ts';
import { decideApproval } from '../lambdas/domain/approval.ts';
import { environmentSettingsParameterName } from '../lambdas/domain/environmentSettings.ts';
import { releaseExecutionName } from '../lambdas/domain/releaseExecutionName.ts';
import type { ReleaseContext } from '../lambdas/domain/releaseState.ts';
import { RELEASE_SUCCEEDED_EVENT, releaseSucceededDetailFor } from '../lambdas/domain/releaseSucceededEvent.ts';
import { parseApprovalArgs } from '../bin/cli/parseApprovalArgs.ts';
import type { AwsCall } from './account/CallLog.ts';
import { ecrImageActionEvent } from './account/ecrImageActionEvent.ts';
import { SimulatedAccount } from './account/SimulatedAccount.ts';
import { seedExampleService, type ExampleService } from './account/seedExampleService.ts';
import { callContext } from './callContext.ts';
import { InvariantMonitor } from './InvariantMonitor.ts';
import { DEFAULT_START_AT, LocalRunner, SANDBOX_STATE_MACHINE_NAME, type ExecutionEvent, type LocalRunResult } from './localRunner.ts';
import { strategyStepsFor, type RehearsalOptions } from './rehearseRelease.ts';
import { worstOutcome, type ReleaseReport, type SandboxOutcome, type SandboxReport, type TimelineEntry, type TimelineKind } from './sandboxReport.ts';

/** The environments the promotion scenario chains, as cdk.json ships them: dev promotes to staging, staging to prod. */
export const PROMOTION_CHAIN = ['dev', 'staging', 'prod'] as const;

/** Who approves the prod release, and how long after it starts waiting (a person reads the release first). */
export const PROMOTION_APPROVER = 'carol';
const APPROVAL_DELAY_MS = 10 * 60 * 1000;
const SERVICE = 'web';
const PUSHED_TAG = 'main-42';

type Environment = (typeof PROMOTION_CHAIN)[number];
type Weights = { blue: number; green: number };

/** Virtual time passing inside an action (the runner's clock is installed while it runs). */
function virtualDelay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * Rehearses a promotion dev → staging → prod of one digest in one simulated account (one table, one release state
 * machine, three environments' SSM namespaces and ECS services) on one virtual clock: a push of `main-42` releases dev
 * (ECR push → onImagePushed); each Succeeded release's `Release Succeeded` event (the shipped releaseSucceededDetailFor
 * of the finished release) is delivered, as the forwarding rule and the next environment's promotion bus would, to the
 * shipped onPromotion handler configured for the next environment; prod requires an approval, which `cutover approve`
 * (its argument parser and decideApproval, through the real adapters) gives ten minutes after prod starts waiting.
 */
export async function rehearsePromotion(
  options: RehearsalOptions,
  onEntry: (entry: TimelineEntry) => void = () => {},
  simulatedAccount: SimulatedAccount = new SimulatedAccount(),
): Promise<SandboxReport> {
  const wallStart = performance.now();
  // A test passes its own account to read the ledgers and services afterwards.
  const account = simulatedAccount.install();
  try {
    const digest = `sha256:${createHash('sha256').update(`${SERVICE} promoted`).digest('hex')}`;
    const steps = strategyStepsFor(options);
    const examples = new Map<Environment, ExampleService>();
    for (const environment of PROMOTION_CHAIN) {
      const example = seedExampleService(account, {
        environment,
        service: SERVICE,
        resourcePrefix: `${environment}-`,
        ...(steps === undefined ? {} : { steps }),
        // Images enter at dev by a push; staging and prod release only what is promoted to them.
        ...(environment === 'dev' ? {} : { triggers: [] }),
      });
      // Staging and prod release what dev's repository holds (promotionRepositories); as the example stacks write it, an
      // environment that requires approvals asks for them on promotions too.
      if (environment !== 'dev') {
        const promotion = environment === 'prod' ? { promotion: 'approval' } : {};
        account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, ...promotion, promotionRepositories: [example.repository] }, null, 2));
      }
      examples.set(environment, example);
    }
    // The shipped prod policy (cdk.json): approvals required, never by the requester. No freeze: the run starts on a Monday morning.
    account.ssm.seedParameter(environmentSettingsParameterName('prod'), JSON.stringify({ requireApproval: true, allowSelfApproval: false }));

    const runner = new LocalRunner({ account });
    const executionArnOf = (environment: Environment): string => account.sfn.executionArn(SANDBOX_STATE_MACHINE_NAME, releaseExecutionName(SERVICE, environment, digest));
    const byExecution = new Map(PROMOTION_CHAIN.map((environment) => [executionArnOf(environment), environment] as const));
    const monitors = new Map(
      PROMOTION_CHAIN.map((environment) => {
        const monitor = new InvariantMonitor(account);
        monitor.track(examples.get(environment) as ExampleService, executionArnOf(environment));
        return [environment, monitor] as const;
      }),
    );

    const timeline: TimelineEntry[] = [];
    const startMs = DEFAULT_START_AT.getTime();
    const exampleOf = (environment: Environment): ExampleService => examples.get(environment) as ExampleService;
    const weightsOf = (environment: Environment): Weights => {
      const example = exampleOf(environment);
      const groups = account.elbv2.weights(example.productionListenerRuleArn);
      const weight = (arn: string): number => groups.find((group) => group.targetGroupArn === arn)?.weight ?? 0;
      return { blue: weight(example.blue.targetGroupArn), green: weight(example.green.targetGroupArn) };
    };
    const add = (environment: Environment, kind: TimelineKind, label: string, text: string, extra: Partial<Pick<TimelineEntry, 'weights' | 'stateName'>> = {}, at = Date.now()): void => {
      const entry: TimelineEntry = { atMs: Math.max(0, at - startMs), service: `${environment}/${SERVICE}`, kind, label, text, ...extra };
      timeline.push(entry);
      onEntry(entry);
    };

    const nextOf = (environment: Environment): Environment | undefined => PROMOTION_CHAIN[PROMOTION_CHAIN.indexOf(environment) + 1];
    runner.onEvent((event: ExecutionEvent) => {
      const environment = event.executionArn === undefined ? undefined : byExecution.get(event.executionArn);
      if (environment === undefined) return;
      if (event.type === 'StateEntered' && ['Prepare', 'DeployIdle', 'CheckReleasePolicy', 'Finalize', 'Rollback', 'GateFailed'].includes(event.stateName ?? '')) {
        add(environment, 'state', event.stateName === 'CheckReleasePolicy' ? 'ReleasePolicy' : (event.stateName ?? ''), describeState(event.stateName ?? ''), { stateName: event.stateName ?? '' }, event.at);
      }
      if (event.type === 'TaskWaiting' && event.stateName === 'AwaitApproval') {
        add(environment, 'state', 'AwaitApproval', 'waiting for cutover approve; no traffic has moved', { stateName: 'AwaitApproval' }, event.at);
      }
      // EventBridge: Finalize's Release Succeeded event → the forwarding rule → the next environment's bus → onPromotion.
      if (event.type === 'StateExited' && event.stateName === 'Finalize') {
        const next = nextOf(environment);
        const release = (event.output as { release?: ReleaseContext } | undefined)?.release;
        const detail = release === undefined ? undefined : releaseSucceededDetailFor(release, new Date(event.at));
        if (next === undefined || detail === undefined) return;
        account.setFunctionEnvironment('onPromotion', { CUTOVER_ENVIRONMENT: next, STATE_MACHINE_ARN: runner.releaseStateMachineArn(), PROMOTED_FROM: environment });
        add(environment, 'state', 'promotion', `Release Succeeded (${detail.releaseId}) → cutover-${next}-promotions → onPromotion in ${next}`, {}, event.at);
        account.deliverEvent('onPromotion', {
          version: '0',
          id: `promotion-${environment}-${next}`,
          source: RELEASE_SUCCEEDED_EVENT.source,
          'detail-type': RELEASE_SUCCEEDED_EVENT.detailType,
          account: account.accountId,
          region: account.region,
          time: new Date(event.at).toISOString(),
          resources: [],
          detail,
        });
      }
    });
    account.onCall((call: AwsCall) => {
      if (call.error !== undefined) return;
      if (call.operation === 'ModifyRule') {
        const environment = PROMOTION_CHAIN.find((candidate) => exampleOf(candidate).productionListenerRuleArn === call.input.RuleArn);
        if (environment === undefined) return;
        const weights = weightsOf(environment);
        add(environment, 'weights', 'traffic', `blue ${weights.blue} % / green ${weights.green} %`, { weights }, call.at);
      }
      if (call.operation === 'StartExecution' && call.origin?.actor === 'eventbridge') {
        const environment = byExecution.get(account.sfn.executionArn(SANDBOX_STATE_MACHINE_NAME, String(call.input.name)));
        if (environment !== undefined) add(environment, 'state', 'StartExecution', `${String(call.input.name)} (${environment === 'dev' ? 'onImagePushed' : 'onPromotion'})`, {}, call.at);
      }
    });

    // A person reads the prod release, then runs `cutover approve` (its own parser and domain code, the real adapters).
    const approvals: string[] = [];
    runner.onTaskWaiting('AwaitApproval', async ({ executionArn }) => {
      if (byExecution.get(executionArn) !== 'prod') return;
      await virtualDelay(APPROVAL_DELAY_MS);
      const args = parseApprovalArgs(['approve', '--service', SERVICE, '--environment', 'prod', '--by', PROMOTION_APPROVER, '--reason', 'CHG-42: passed dev and staging'], {});
      const releases = new ReleaseTable(undefined, account.tableName);
      const result = await callContext.run({ actor: 'operator' }, () =>
        decideApproval(
          args,
          { approvals: new ApprovalTable(undefined, account.tableName), executions: new ExecutionAdapter(), getLock: (environment, service) => releases.getLock(environment, service) },
          new Date(),
        ),
      );
      approvals.push(result.message);
      add('prod', 'operator', 'approve', `cutover approve --by ${PROMOTION_APPROVER}: ${result.message}`);
      if (result.exitCode !== 0) throw new Error(`cutover approve did nothing: ${result.message}`);
    });

    for (const monitor of monitors.values()) monitor.start();
    account.setFunctionEnvironment('onImagePushed', { CUTOVER_ENVIRONMENT: 'dev', STATE_MACHINE_ARN: runner.releaseStateMachineArn() });
    const results = await runner.runTriggered(() => {
      const repositoryName = exampleOf('dev').repository.slice(exampleOf('dev').repository.lastIndexOf('/') + 1);
      account.ecr.seedImage(repositoryName, digest, [PUSHED_TAG]);
      add('dev', 'state', 'ECR push', `${repositoryName}:${PUSHED_TAG} pushed (${digest.slice(0, 19)}…); EventBridge → onImagePushed`);
      account.deliverEvent('onImagePushed', ecrImageActionEvent({ accountId: account.accountId, region: account.region, repositoryName, imageDigest: digest, imageTag: PUSHED_TAG }));
    });
    for (const monitor of monitors.values()) monitor.stop();
    const failedDelivery = account.eventInvocations.find((invocation) => invocation.error !== undefined);
    if (failedDelivery !== undefined) throw new Error(`${failedDelivery.functionName} failed: ${failedDelivery.error ?? ''}: ${failedDelivery.errorMessage ?? ''}`);

    const byArn = new Map(results.map((result) => [result.executionArn, result] as const));
    const calls = account.calls();
    const releases: ReleaseReport[] = PROMOTION_CHAIN.flatMap((environment) => {
      const result = byArn.get(executionArnOf(environment));
      if (result === undefined) {
        add(environment, 'failure', 'not released', `no release of ${digest.slice(0, 19)}… reached ${environment}`);
        return [];
      }
      return [reportOf(environment, result, exampleOf(environment), monitors.get(environment) as InvariantMonitor, weightsOf(environment), calls, add)];
    });
    const violations = [...monitors.values()].flatMap((monitor) => monitor.violations);
    for (const violation of violations) add('dev', 'violation', `invariant ${violation.invariant}`, `${violation.message} (after ${violation.after})`, {}, Date.parse(violation.at));

    const byOperation: Record<string, number> = {};
    for (const call of calls) byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
    const first = releases[0];
    const outcome: SandboxOutcome = releases.length < PROMOTION_CHAIN.length ? 'Failed' : worstOutcome(releases.map((release) => release.outcome));
    const last = releases.at(-1);
    return {
      scenario: options.scenario,
      outcome,
      expectedOutcome: 'Succeeded',
      previousColor: first?.previousColor ?? 'blue',
      liveColor: last?.liveColor ?? 'blue',
      weights: last?.weights ?? { blue: 100, green: 0 },
      trafficShifted: releases.some((release) => release.trafficShifted),
      stateTransitions: releases.reduce((total, release) => total + release.stateTransitions, 0),
      rollbackTransitions: null,
      awsCalls: { total: calls.length, byOperation },
      invariantViolations: violations,
      crossTalk: [],
      releaseSeconds: results.length === 0 ? 0 : (Math.max(...results.map((result) => result.endedAt.getTime())) - startMs) / 1000,
      wallMs: Math.round(performance.now() - wallStart),
      releases,
      timeline,
    };
  } finally {
    account.uninstall();
  }
}

function describeState(stateName: string): string {
  switch (stateName) {
    case 'Prepare':
      return 'validate the input and the configuration, take the lock';
    case 'DeployIdle':
      return 'the idle colour gets the new task definition';
    case 'CheckReleasePolicy':
      return 'freeze windows and approvals of the environment';
    case 'Finalize':
      return 'old colour to 0, ledger Succeeded, lock released';
    default:
      return stateName;
  }
}

function reportOf(
  environment: Environment,
  result: LocalRunResult,
  example: ExampleService,
  monitor: InvariantMonitor,
  weights: Weights,
  calls: readonly AwsCall[],
  add: (environment: Environment, kind: TimelineKind, label: string, text: string, extra?: Partial<Pick<TimelineEntry, 'weights' | 'stateName'>>, at?: number) => void,
): ReleaseReport {
  monitor.checkEnded(example.service, result);
  const previousColor = monitor.baselineColor(example.service);
  const newColor = previousColor === 'blue' ? 'green' : 'blue';
  const outcome: SandboxOutcome = result.status === 'SUCCEEDED' ? 'Succeeded' : result.error === 'ReleaseRolledBack' ? 'RolledBack' : 'Failed';
  const trafficShifted = calls.some(
    (call) =>
      call.operation === 'ModifyRule' &&
      call.error === undefined &&
      call.origin?.executionArn === result.executionArn &&
      JSON.stringify(call.input).includes(example[newColor].targetGroupArn),
  );
  const liveColor = weights.blue >= weights.green ? 'blue' : 'green';
  add(environment, 'outcome', outcome, outcome === 'Succeeded' ? `${liveColor} is live; ${result.stateTransitions} state transitions` : `${result.error ?? 'failed'}: ${result.cause ?? ''}`, { weights }, result.endedAt.getTime());
  return {
    service: example.service,
    environment,
    executionName: result.executionName,
    outcome,
    ...(result.error === undefined ? {} : { error: result.error }),
    ...(result.cause === undefined ? {} : { cause: result.cause }),
    previousColor,
    liveColor,
    weights,
    trafficShifted,
    stateTransitions: result.stateTransitions,
    rollbackTransitions: null,
    releaseSeconds: (result.endedAt.getTime() - result.startedAt.getTime()) / 1000,
  };
}
