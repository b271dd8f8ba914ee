import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ReleaseMetricName } from '../lambdas/domain/releaseMetrics.ts';

/** The metric namespace of cutover's own metrics (log metric filters here, Powertools Metrics in the handlers). */
export const CUTOVER_METRIC_NAMESPACE = 'cutover';

/**
 * Error names with which a release execution is expected to end: outcomes, not faults of the control plane.
 * PrepareRejected ends with Prepare's domain errors (a refusal: nothing changed); RolledBack with ReleaseRolledBack;
 * Failed (statemachines/release.asl.json) with GateFailed's gate error (MigrationFailed, SmokeTestFailed, ReleaseFrozen,
 * ApprovalRejected, InvalidEnvironmentSettings; ReleaseAborted for a release aborted while parked: no traffic moved),
 * or with the name of the error Build or Finalize threw, `ReleaseFailed` when there was none, so the domain errors
 * those throw on purpose are here too. Any other name (an AWS error, a Lambda
 * runtime error, an IAM denial, States.*) is a fault of cutover. RollbackFailed has an alarm of its own.
 * test/infra/controlPlaneMonitoring.test.ts derives every ending the release machine can have from its definition and
 * the handlers' code: a new ending must be added here or to the test's deliberate exclusions.
 */
export const EXPECTED_EXECUTION_ERRORS = [
  'ReleaseRolledBack',
  'InvalidReleaseInput',
  'InvalidServiceConfig',
  'TrafficNotSettled',
  'ConcurrentReleaseError',
  'ReleaseQueued',
  'ReleaseSuperseded',
  'ReleaseFailed',
  'RollbackFailed',
  'MigrationFailed',
  'SmokeTestFailed',
  'ReleaseFrozen',
  'ApprovalRejected',
  'ReleaseAborted',
  'InvalidEnvironmentSettings',
] as const;

/**
 * Error names with which a rollback execution (statemachines/rollback.asl.json) is expected to end: FindRollbackTarget
 * refused it and nothing changed (the operator sees why at once). Any other failure means a requested rollback did
 * not happen.
 */
export const EXPECTED_ROLLBACK_ERRORS = ['NothingToRollBack', 'ConcurrentReleaseError'] as const;

/** The runbook each alarm points to, relative to the repository root. */
const RUNBOOKS = {
  rollback: 'docs/runbooks/manual-rollback.md',
  stuck: 'docs/runbooks/stuck-release.md',
  controlPlane: 'docs/runbooks/control-plane-alarms.md',
} as const;

/** Properties of {@link ControlPlaneMonitoring}. */
export interface ControlPlaneMonitoringProps {
  /** The environment, used in names. */
  readonly environment: string;
  /** The release state machine. */
  readonly stateMachine: sfn.IStateMachine;
  /** The release state machine's execution log group (level ALL, JSON events). */
  readonly executionLogGroup: logs.ILogGroup;
  /**
   * The rollback state machine and its execution log group (level ALL, JSON events): alarms when a rollback fails for
   * another reason than a refusal ({@link EXPECTED_ROLLBACK_ERRORS}) or times out. @default no rollback machine alarms
   */
  readonly rollback?: { readonly stateMachine: sfn.IStateMachine; readonly executionLogGroup: logs.ILogGroup };
  /** Every cutover Lambda, by key: each gets a throttle alarm. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /**
   * Keys of functions that must never fail (rolling back, recording an outcome, reacting to an alarm): any error is
   * an alarm. Other functions fail on purpose (Prepare refuses bad input, Bake reports a firing alarm).
   */
  readonly criticalFunctions: readonly string[];
  /** Dead-letter queues: a message in one is a lost trigger. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Email addresses subscribed to the alarm topic. @default none */
  readonly alarmEmails?: readonly string[];
  /**
   * The lock watchdog's function: it publishes HeldLocks, OldestLockAgeSeconds and StaleLocks every `lockWatchInterval`.
   * @default no lock alarms
   */
  readonly lockWatchdog?: lambda.IFunction;
  /** How often the watchdog runs. @default Duration.minutes(10) */
  readonly lockWatchInterval?: Duration;
  /**
   * A lock older than this is held longer than a release of this environment can take (parked at a freeze and an
   * approval included: lib/cutoverConfig.ts derives it from the environment's settings). @default Duration.hours(24)
   */
  readonly maxLockAge?: Duration;
}

/**
 * cutover watching itself: an encrypted SNS topic for the control plane's alarms, alarms on rollbacks that failed,
 * executions that ended unexpectedly or timed out, critical handler errors, throttles, non-empty dead-letter queues and
 * release locks held too long or by dead executions, and a dashboard of releases and handler health (docs/monitoring.md).
 */
export class ControlPlaneMonitoring extends Construct {
  /** The topic every control plane alarm notifies. */
  public readonly alarmTopic: sns.Topic;
  /** The alarms, by purpose. */
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ControlPlaneMonitoringProps) {
    super(scope, id);
    const key = new kms.Key(this, 'TopicKey', {
      description: `cutover ${props.environment}: encrypts the control plane alarm topic`,
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to an encrypted topic only if they may use its key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `cutover ${props.environment} control plane alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // enforceSSL replaces the topic's default policy: CloudWatch may publish, for this account's cutover alarms only.
    const stack = Stack.of(this);
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `cutover-${props.environment}-*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    (props.alarmEmails ?? []).forEach((email, index) => {
      new sns.Subscription(this, `Email${index}`, { topic: this.alarmTopic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: email });
    });

    const rollbackFailed = this.executionFailureMetric('RollbackFailed', props.executionLogGroup, props.environment, '{ $.type = "ExecutionFailed" && $.details.error = "RollbackFailed" }');
    const expected = EXPECTED_EXECUTION_ERRORS.map((name) => `$.details.error != "${name}"`).join(' && ');
    const unexpected = this.executionFailureMetric('UnexpectedExecutionFailures', props.executionLogGroup, props.environment, `{ $.type = "ExecutionFailed" && ${expected} }`);

    const alarms: Record<string, cloudwatch.Alarm> = {};
    const alarm = (
      name: string,
      metric: cloudwatch.IMetric,
      description: string,
      options: { runbook?: string; threshold?: number; evaluationPeriods?: number; treatMissingData?: cloudwatch.TreatMissingData } = {},
    ): void => {
      const created = new cloudwatch.Alarm(this, name, {
        alarmName: `cutover-${props.environment}-${name}`,
        alarmDescription: `${description} Runbook: ${options.runbook ?? RUNBOOKS.controlPlane}`,
        metric,
        threshold: options.threshold ?? 1,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.evaluationPeriods ?? 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new actions.SnsAction(this.alarmTopic));
      alarms[name] = created;
    };

    alarm('rollback-failed', rollbackFailed, 'A release could not finish rolling back: check the production rule weights by hand now.', { runbook: RUNBOOKS.rollback });
    alarm('unexpected-execution-failure', unexpected, 'A release execution ended with an error that is not a release outcome (a fault in cutover).');
    alarm(
      'execution-timed-out',
      props.stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      'A release execution timed out: its Catch did not run, so traffic may still be split.',
      { runbook: RUNBOOKS.rollback },
    );
    alarm(
      'execution-throttled',
      props.stateMachine.metric('ExecutionThrottled', { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      'Step Functions throttled release executions.',
    );
    if (props.rollback !== undefined) {
      const refusals = EXPECTED_ROLLBACK_ERRORS.map((name) => `$.details.error != "${name}"`).join(' && ');
      alarm(
        'rollback-execution-failed',
        this.executionFailureMetric('RollbackExecutionFailures', props.rollback.executionLogGroup, props.environment, `{ $.type = "ExecutionFailed" && ${refusals} }`),
        'A requested rollback (cutover rollback, Slack) ended without rolling back, and not because it was refused: check the production rule weights.',
        { runbook: RUNBOOKS.rollback },
      );
      alarm(
        'rollback-execution-timed-out',
        props.rollback.stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        'A rollback execution timed out: the release it started was stopped, traffic may still be split.',
        { runbook: RUNBOOKS.rollback },
      );
    }
    for (const name of props.criticalFunctions) {
      const fn = props.functions[name];
      if (fn === undefined) throw new Error(`ControlPlaneMonitoring: no function ${name} among ${Object.keys(props.functions).join(', ')}`);
      alarm(`${name}-errors`, fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }), `The ${name} function failed.`);
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name}-throttles`, fn.metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }), `The ${name} function was throttled.`);
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}-dead-letters`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        `A ${name} event could not be delivered and waits in its dead-letter queue.`,
      );
    }
    if (props.lockWatchdog !== undefined) {
      const interval = props.lockWatchInterval ?? Duration.minutes(10);
      const maxLockAge = props.maxLockAge ?? Duration.hours(24);
      const watched = (metricName: string): cloudwatch.Metric =>
        new cloudwatch.Metric({ namespace: CUTOVER_METRIC_NAMESPACE, metricName, dimensionsMap: { service: 'cutover', environment: props.environment }, period: interval, statistic: cloudwatch.Stats.MAXIMUM });
      // Missing data breaches: a watchdog that stopped reporting cannot vouch for the locks.
      alarm('lock-held-too-long', watched('OldestLockAgeSeconds'), `A release lock is older than ${maxLockAge.toHours()} h (maxLockAge), or the lock watchdog stopped reporting.`, {
        runbook: RUNBOOKS.stuck,
        threshold: maxLockAge.toSeconds(),
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      // Two runs in a row: the lock index is eventually consistent, a lock freed a moment ago may still be listed once.
      alarm('stale-lock', watched('StaleLocks'), 'A release lock is held by an execution that no longer runs: every later release of that service waits.', {
        runbook: RUNBOOKS.stuck,
        evaluationPeriods: 2,
      });
      alarm(
        'lockWatchdog-errors',
        props.lockWatchdog.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        'The lock watchdog failed.',
      );
    }
    this.alarms = alarms;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `cutover-${props.environment}`,
      defaultInterval: Duration.days(1),
    });
    const period = Duration.minutes(5);
    const fns = Object.entries(props.functions);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Release executions',
        width: 12,
        left: [
          props.stateMachine.metricStarted({ period }),
          props.stateMachine.metricSucceeded({ period }),
          props.stateMachine.metricFailed({ period, label: 'Failed (incl. rolled back)' }),
          unexpected.with({ period, label: 'Unexpected failures' }),
          rollbackFailed.with({ period, label: 'Rollback failed' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Releases by service',
        width: 12,
        left: ['ReleaseStarted', 'ReleaseSucceeded', 'ReleaseRolledBack', 'ReleaseFailed', 'GateFailures'].map((metricName) => this.byService(metricName, 'Sum', props.environment, period)),
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Release duration (s)',
        width: 8,
        left: [this.byService('ReleaseDurationSeconds', 'Maximum', props.environment, period)],
      }),
      new cloudwatch.GraphWidget({
        title: 'Rollback reaction: failure signal to weights restored (s)',
        width: 8,
        left: [this.byService('RollbackReactionSeconds', 'Maximum', props.environment, period)],
      }),
      new cloudwatch.GraphWidget({
        title: 'Release locks',
        width: 8,
        left: ['HeldLocks', 'StaleLocks'].map(
          (metricName) => new cloudwatch.Metric({ namespace: CUTOVER_METRIC_NAMESPACE, metricName, dimensionsMap: { service: 'cutover', environment: props.environment }, period, statistic: cloudwatch.Stats.MAXIMUM }),
        ),
        right: [new cloudwatch.Metric({ namespace: CUTOVER_METRIC_NAMESPACE, metricName: 'OldestLockAgeSeconds', dimensionsMap: { service: 'cutover', environment: props.environment }, period, statistic: cloudwatch.Stats.MAXIMUM })],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Gate failures by gate',
        width: 24,
        left: [
          ReleaseMetricName.AlarmGateFailures,
          ReleaseMetricName.ReadinessGateFailures,
          ReleaseMetricName.MigrationGateFailures,
          ReleaseMetricName.SmokeTestGateFailures,
          ReleaseMetricName.FreezeGateFailures,
          ReleaseMetricName.ApprovalGateFailures,
        ].map((metricName) => this.byService(metricName, 'Sum', props.environment, period)),
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Handler errors', width: 8, left: fns.map(([name, fn]) => fn.metricErrors({ period, label: name })) }),
      new cloudwatch.GraphWidget({ title: 'Handler throttles', width: 8, left: fns.map(([name, fn]) => fn.metricThrottles({ period, label: name })) }),
      new cloudwatch.GraphWidget({ title: 'Handler duration p99', width: 8, left: fns.map(([name, fn]) => fn.metricDuration({ period, label: name, statistic: 'p99' })) }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues',
        width: 12,
        left: Object.entries(props.deadLetterQueues).map(([name, queue]) => queue.metricApproximateNumberOfMessagesVisible({ period, label: name })),
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Control plane alarms', width: 12, alarms: Object.values(alarms) }),
    );
  }

  /** One line per released service: the handlers publish with the dimensions service (cutover), environment, releaseService. */
  private byService(metricName: string, statistic: string, environment: string, period: Duration): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `SEARCH('{${CUTOVER_METRIC_NAMESPACE},environment,releaseService,service} MetricName="${metricName}" environment="${environment}"', '${statistic}', ${period.toSeconds()})`,
      label: metricName,
      usingMetrics: {},
      period,
    });
  }

  /** A metric counting execution log events that match the filter pattern. */
  private executionFailureMetric(metricName: string, logGroup: logs.ILogGroup, environment: string, pattern: string): cloudwatch.Metric {
    new logs.MetricFilter(this, `${metricName}Filter`, {
      logGroup,
      filterPattern: logs.FilterPattern.literal(pattern),
      // A metric filter cannot add a constant dimension: the environment goes into the namespace instead.
      metricNamespace: `${CUTOVER_METRIC_NAMESPACE}/${environment}`,
      metricName,
      metricValue: '1',
    });
    return new cloudwatch.Metric({
      namespace: `${CUTOVER_METRIC_NAMESPACE}/${environment}`,
      metricName,
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
    });
  }
}
