import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneMonitoring, EXPECTED_EXECUTION_ERRORS, EXPECTED_ROLLBACK_ERRORS } from '../../lib/ControlPlaneMonitoring.ts';
import { LockWatchdog } from '../../lib/LockWatchdog.ts';
import { RELEASE_DEFINITION_PATH, releaseFunctions } from '../../lib/releaseFunctions.ts';
import { rollbackFunctions } from '../../lib/rollbackFunctions.ts';
import { ReleaseErrorName } from '../../lambdas/domain/errors.ts';
import { domainErrorsThrownBy, executionEndings } from '../support/executionEndings.ts';

/**
 * Endings of the release machine that are deliberately left to page as unexpected, each with why. Empty today: every
 * domain error a release can end with is an outcome. (States.* and Lambda.* endings are faults and never derived.)
 */
const DELIBERATELY_UNEXPECTED: Readonly<Record<string, string>> = {};

let template: Template;

beforeAll(() => {
  const stack = new Stack(new App(), 'Monitoring');
  const fn = (id: string): lambda.Function =>
    new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
  const functions = Object.fromEntries(['prepare', 'rollback', 'failRelease', 'finalize', 'onAlarm', 'onImagePushed'].map((key) => [key, fn(key)]));
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const watchdog = new LockWatchdog(stack, 'LockWatchdog', { environment: 'prod', table, stateMachineName: 'cutover-prod-release' });
  new ControlPlaneMonitoring(stack, 'ControlPlane', {
    environment: 'prod',
    stateMachine: new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Succeed(stack, 'Done')) }),
    executionLogGroup: new logs.LogGroup(stack, 'ExecutionLogs'),
    rollback: {
      stateMachine: new sfn.StateMachine(stack, 'RollbackMachine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Succeed(stack, 'RolledBack')) }),
      executionLogGroup: new logs.LogGroup(stack, 'RollbackExecutionLogs'),
    },
    functions: { ...functions, lockWatchdog: watchdog.function },
    criticalFunctions: ['rollback', 'failRelease', 'finalize', 'onAlarm', 'onImagePushed'],
    deadLetterQueues: { alarmRule: new sqs.Queue(stack, 'AlarmDlq'), lockWatchdog: watchdog.deadLetterQueue },
    alarmEmails: ['ops@example.com'],
    lockWatchdog: watchdog.function,
    maxLockAge: Duration.hours(6),
  });
  template = Template.fromStack(stack);
});

const alarmNamed = (name: string): Record<string, unknown> => {
  const found = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: `cutover-prod-${name}` } }));
  expect(found, name).toHaveLength(1);
  return found[0]?.['Properties'] as Record<string, unknown>;
};

describe('Construct: ControlPlaneMonitoring', () => {
  it('alarms on a failed rollback from the execution log, pointing to the manual rollback runbook', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.type = "ExecutionFailed" && $.details.error = "RollbackFailed" }',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'cutover/prod', MetricName: 'RollbackFailed' })],
    });
    expect(alarmNamed('rollback-failed')['AlarmDescription']).toContain('docs/runbooks/manual-rollback.md');
  });

  it('counts as unexpected every execution failure whose error is not a release outcome', () => {
    // Prepare
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((filter) => filter['Properties'] as { FilterPattern: string; MetricTransformations: { MetricName: string }[] });
    const unexpected = filters.find((filter) => filter.MetricTransformations[0]?.MetricName === 'UnexpectedExecutionFailures');

    // Assess
    for (const name of EXPECTED_EXECUTION_ERRORS) expect(unexpected?.FilterPattern).toContain(`$.details.error != "${name}"`);
    for (const name of [ReleaseErrorName.InvalidReleaseInput, ReleaseErrorName.ReleaseSuperseded, ReleaseErrorName.ReleaseRolledBack]) {
      expect(EXPECTED_EXECUTION_ERRORS).toContain(name);
    }
    expect(unexpected?.FilterPattern.length).toBeLessThanOrEqual(1024);
    alarmNamed('unexpected-execution-failure');
  });

  it('expects every ending of the release machine that is an outcome, and nothing it cannot end with', () => {
    // Prepare
    const endings = executionEndings(RELEASE_DEFINITION_PATH, releaseFunctions);
    const expected: ReadonlySet<string> = new Set(EXPECTED_EXECUTION_ERRORS);

    // Assess
    // Sanity: the derivation sees the gates' endings, Prepare's refusals and ReleaseFailed's fallback.
    for (const name of ['MigrationFailed', 'SmokeTestFailed', 'ReleaseFrozen', 'ApprovalRejected', 'ReleaseQueued', 'ReleaseSuperseded', 'ReleaseFailed', 'ReleaseRolledBack', 'RollbackFailed']) {
      expect([...endings.keys()], name).toContain(name);
    }
    const forgotten = [...endings.keys()].filter((name) => !expected.has(name) && DELIBERATELY_UNEXPECTED[name] === undefined);
    expect(forgotten, 'endings of statemachines/release.asl.json neither in EXPECTED_EXECUTION_ERRORS nor deliberately unexpected').toEqual([]);
    const stale = EXPECTED_EXECUTION_ERRORS.filter((name) => !endings.has(name));
    expect(stale, 'EXPECTED_EXECUTION_ERRORS the release machine cannot end with').toEqual([]);
    for (const name of Object.keys(DELIBERATELY_UNEXPECTED)) expect(expected.has(name), name).toBe(false);
  });

  it('alarms on a rollback execution that failed other than by a refusal, and on one that timed out', () => {
    // Prepare
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((filter) => filter['Properties'] as { FilterPattern: string; MetricTransformations: { MetricName: string }[] });
    const rollbackFailures = filters.find((filter) => filter.MetricTransformations[0]?.MetricName === 'RollbackExecutionFailures');

    // Assess
    expect(rollbackFailures?.FilterPattern).toBe('{ $.type = "ExecutionFailed" && $.details.error != "NothingToRollBack" && $.details.error != "ConcurrentReleaseError" }');
    // The refusals are what FindRollbackTarget throws on purpose (its Catch ends the execution Refused).
    const refusals = domainErrorsThrownBy(rollbackFunctions.findRollbackTarget.entry);
    for (const name of EXPECTED_ROLLBACK_ERRORS) expect(refusals, name).toContain(name);
    expect(alarmNamed('rollback-execution-failed')).toMatchObject({ MetricName: 'RollbackExecutionFailures', Namespace: 'cutover/prod', Threshold: 1 });
    expect(alarmNamed('rollback-execution-failed')['AlarmDescription']).toContain('docs/runbooks/manual-rollback.md');
    expect(alarmNamed('rollback-execution-timed-out')).toMatchObject({
      MetricName: 'ExecutionsTimedOut',
      Namespace: 'AWS/States',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: expect.stringMatching(/^RollbackMachine/) as unknown } }],
    });
  });

  it('alarms on timed out and throttled executions', () => {
    expect(alarmNamed('execution-timed-out')).toMatchObject({ MetricName: 'ExecutionsTimedOut', Namespace: 'AWS/States' });
    expect(alarmNamed('execution-throttled')).toMatchObject({ MetricName: 'ExecutionThrottled' });
  });

  it('alarms on errors of the critical functions only and on throttles of every function', () => {
    for (const key of ['rollback', 'failRelease', 'finalize', 'onAlarm', 'onImagePushed', 'lockWatchdog']) {
      expect(alarmNamed(`${key}-errors`)).toMatchObject({ MetricName: 'Errors', Threshold: 1 });
    }
    expect(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'cutover-prod-prepare-errors' } })).toEqual({});
    for (const key of ['prepare', 'rollback', 'lockWatchdog']) expect(alarmNamed(`${key}-throttles`)).toMatchObject({ MetricName: 'Throttles' });
  });

  it('alarms as soon as a dead-letter queue holds a message', () => {
    expect(alarmNamed('alarmRule-dead-letters')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    alarmNamed('lockWatchdog-dead-letters');
  });

  it('alarms on a lock older than maxLockAge, and when the watchdog stops reporting', () => {
    expect(alarmNamed('lock-held-too-long')).toMatchObject({
      MetricName: 'OldestLockAgeSeconds',
      Namespace: 'cutover',
      Dimensions: expect.arrayContaining([{ Name: 'environment', Value: 'prod' }, { Name: 'service', Value: 'cutover' }]),
      Threshold: 6 * 3600,
      TreatMissingData: 'breaching',
    });
    expect(alarmNamed('stale-lock')).toMatchObject({ MetricName: 'StaleLocks', EvaluationPeriods: 2, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching' });
  });

  it('notifies the encrypted topic from every alarm, and lets only CloudWatch alarms of cutover publish', () => {
    // Prepare
    const topics = Object.keys(template.findResources('AWS::SNS::Topic'));

    // Assess
    expect(topics).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm['Properties'].AlarmActions).toEqual([{ Ref: topics[0] }]);
    }
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: Match.objectLike({ ArnLike: Match.anyValue() }) }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('shows releases by service, durations, locks and handler health on the dashboard', () => {
    // Prepare
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.['Properties'].DashboardBody);

    // Assess
    for (const text of ['ReleaseStarted', 'ReleaseRolledBack', 'RollbackReactionSeconds', 'ReleaseDurationSeconds', 'OldestLockAgeSeconds', 'Handler errors', 'Dead-letter queues', 'SEARCH(', 'GateFailures', 'MigrationGateFailures', 'SmokeTestGateFailures', 'FreezeGateFailures', 'ApprovalGateFailures']) {
      expect(body).toContain(text);
    }
  });
});

describe('Construct: LockWatchdog', () => {
  it('runs every 10 minutes with a retry policy and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(10 minutes)',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 }, DeadLetterConfig: { Arn: Match.anyValue() } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('may only read the lock items, list the service parameters and describe the release executions', () => {
    // Prepare
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('LockWatchdogRole'));
    const actions = policies.flatMap(([, policy]) => (policy['Properties'].PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => s.Action));

    // Assess
    expect(new Set(actions)).toEqual(
      new Set(['logs:CreateLogStream', 'logs:PutLogEvents', 'dynamodb:GetItem', 'ssm:GetParametersByPath', 'states:DescribeExecution', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']),
    );
  });
});
