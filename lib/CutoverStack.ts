import { ArnFormat, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { AlarmEventRule } from './AlarmEventRule.ts';
import { ControlPlaneMonitoring } from './ControlPlaneMonitoring.ts';
import { type CutoverEnvironmentConfig, cutoverResourceNames } from './cutoverConfig.ts';
import { environmentSettingsParameterName } from '../lambdas/domain/environmentSettings.ts';
import { ImagePushEventRule } from './ImagePushEventRule.ts';
import { PromotionBus } from './PromotionBus.ts';
import { PromotionForwarding } from './PromotionForwarding.ts';
import { LockWatchdog } from './LockWatchdog.ts';
import { ReleaseHandlers } from './ReleaseHandlers.ts';
import { ReleaseStateMachine } from './ReleaseStateMachine.ts';
import { ReleaseTable } from './ReleaseTable.ts';
import { RollbackStateMachine } from './RollbackStateMachine.ts';
import { TaskStoppedEventRule } from './TaskStoppedEventRule.ts';
import { SlackApi } from './SlackApi.ts';
import { SlackNotifier } from './SlackNotifier.ts';

/** Properties of {@link CutoverStack}. */
export interface CutoverStackProps extends StackProps {
  /** The environment's settings (from the `cutover` context). */
  readonly config: CutoverEnvironmentConfig;
}

/** One cutover environment: the release table, the handlers, the release state machine, the alarm rule and the image push rule. */
export class CutoverStack extends Stack {
  /** Locks, ledger and bake tokens. */
  public readonly releaseTable: ReleaseTable;
  /** The Lambda handlers. */
  public readonly releaseHandlers: ReleaseHandlers;
  /** The release state machine. */
  public readonly releaseStateMachine: ReleaseStateMachine;
  /** CloudWatch alarm → onAlarm. */
  public readonly alarmEventRule: AlarmEventRule;
  /** ECR push → onImagePushed. */
  public readonly imagePushEventRule: ImagePushEventRule;
  /** Stopped migration task → onTaskStopped. */
  public readonly taskStoppedEventRule: TaskStoppedEventRule;
  /** Publishes the age of the release locks for the lock alarms. */
  public readonly lockWatchdog: LockWatchdog;
  /** cutover's own alarms, alarm topic and dashboard. */
  public readonly monitoring: ControlPlaneMonitoring;
  /** Rolls a service back to its previous successful release's task definition (a release with `rollbackTo`). */
  public readonly rollbackStateMachine: RollbackStateMachine;
  /** Slack slash commands and buttons: API Gateway → endpoint → worker. */
  public readonly slackApi: SlackApi;
  /** Release phase changes → Slack messages. */
  public readonly slackNotifier: SlackNotifier;
  /** The environment's release policy (approvals, freeze windows), `/cutover/<environment>/settings`, from cdk.json. */
  public readonly settingsParameter: ssm.StringParameter;
  /** Release Succeeded of the previous environments → onPromotion (present when an environment promotes into this one). */
  public readonly promotionBus?: PromotionBus;
  /** This environment's Release Succeeded → the next environment's promotion bus (present with `promoteTo`). */
  public readonly promotionForwarding?: PromotionForwarding;

  constructor(scope: Construct, id: string, props: CutoverStackProps) {
    super(scope, id, props);
    const { environment, managedResources } = props.config;
    const names = cutoverResourceNames(environment);

    this.releaseTable = new ReleaseTable(this, 'ReleaseTable', { tableName: names.tableName });
    this.releaseHandlers = new ReleaseHandlers(this, 'ReleaseHandlers', {
      environment,
      table: this.releaseTable.table,
      stateMachineName: names.stateMachineName,
      managedResources,
      promotedFrom: props.config.promotedFrom.map((source) => source.environment),
    });
    this.releaseStateMachine = new ReleaseStateMachine(this, 'ReleaseStateMachine', {
      stateMachineName: names.stateMachineName,
      functions: this.releaseHandlers.functions,
    });
    this.releaseStateMachine.grantTaskFailure(this.releaseHandlers.functions.onAlarm);
    this.alarmEventRule = new AlarmEventRule(this, 'AlarmEventRule', { handler: this.releaseHandlers.functions.onAlarm });
    this.imagePushEventRule = new ImagePushEventRule(this, 'ImagePushEventRule', { handler: this.releaseHandlers.functions.onImagePushed });
    this.releaseStateMachine.grantTaskResponse(this.releaseHandlers.functions.onTaskStopped);
    this.taskStoppedEventRule = new TaskStoppedEventRule(this, 'TaskStoppedEventRule', {
      handler: this.releaseHandlers.functions.onTaskStopped,
      clusterArnPatterns: managedResources.clusterNames.map((cluster) =>
        this.formatArn({ service: 'ecs', resource: 'cluster', resourceName: cluster, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
      ),
    });
    this.settingsParameter = new ssm.StringParameter(this, 'Settings', {
      parameterName: environmentSettingsParameterName(environment),
      description: `cutover ${environment}: release policy (approvals, freeze windows); edit cutover.environments.${environment}.settings in cdk.json`,
      stringValue: JSON.stringify(props.config.settings),
    });
    if (props.config.promotedFrom.length > 0) {
      this.promotionBus = new PromotionBus(this, 'PromotionBus', {
        eventBusName: names.promotionBusName,
        sources: props.config.promotedFrom,
        handler: this.releaseHandlers.functions.onPromotion,
      });
    }
    if (props.config.promoteTo !== undefined) {
      this.promotionForwarding = new PromotionForwarding(this, 'PromotionForwarding', { environment, target: props.config.promoteTo });
    }
    this.lockWatchdog = new LockWatchdog(this, 'LockWatchdog', { environment, table: this.releaseTable.table, stateMachineName: names.stateMachineName });
    this.rollbackStateMachine = new RollbackStateMachine(this, 'RollbackStateMachine', {
      environment,
      stateMachineName: `cutover-${environment}-rollback`,
      releaseStateMachineName: names.stateMachineName,
      table: this.releaseTable.table,
    });
    this.slackApi = new SlackApi(this, 'SlackApi', {
      environment,
      table: this.releaseTable.table,
      stateMachineName: names.stateMachineName,
      rollbackStateMachine: this.rollbackStateMachine.stateMachine,
    });
    this.slackNotifier = new SlackNotifier(this, 'SlackNotifier', { environment, table: this.releaseTable.table });
    const { functions } = this.releaseHandlers;
    this.monitoring = new ControlPlaneMonitoring(this, 'Monitoring', {
      environment,
      stateMachine: this.releaseStateMachine.stateMachine,
      executionLogGroup: this.releaseStateMachine.logGroup,
      rollback: { stateMachine: this.rollbackStateMachine.stateMachine, executionLogGroup: this.rollbackStateMachine.logGroup },
      functions: { ...functions, lockWatchdog: this.lockWatchdog.function },
      criticalFunctions: ['rollback', 'failRelease', 'finalize', 'onAlarm', 'onImagePushed', 'onPromotion'],
      deadLetterQueues: {
        alarmRule: this.alarmEventRule.deadLetterQueue,
        imagePushRule: this.imagePushEventRule.deadLetterQueue,
        taskStoppedRule: this.taskStoppedEventRule.deadLetterQueue,
        lockWatchdog: this.lockWatchdog.deadLetterQueue,
        ...(this.promotionBus ? { promotionRule: this.promotionBus.deadLetterQueue } : {}),
        ...(this.promotionForwarding ? { promotionForwarding: this.promotionForwarding.deadLetterQueue } : {}),
        slackNotifier: this.slackNotifier.deadLetterQueue,
        slackWorker: this.slackApi.workerDeadLetterQueue,
      },
      alarmEmails: props.config.monitoring.alarmEmails,
      lockWatchdog: this.lockWatchdog.function,
      maxLockAge: Duration.hours(props.config.monitoring.maxLockAgeHours),
    });
  }
}
