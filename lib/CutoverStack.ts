import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlarmEventRule } from './AlarmEventRule.ts';
import { type CutoverEnvironmentConfig, cutoverResourceNames } from './cutoverConfig.ts';
import { ImagePushEventRule } from './ImagePushEventRule.ts';
import { ReleaseHandlers } from './ReleaseHandlers.ts';
import { ReleaseStateMachine } from './ReleaseStateMachine.ts';
import { ReleaseTable } from './ReleaseTable.ts';

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
    });
    this.releaseStateMachine = new ReleaseStateMachine(this, 'ReleaseStateMachine', {
      stateMachineName: names.stateMachineName,
      functions: this.releaseHandlers.functions,
    });
    this.releaseStateMachine.grantTaskFailure(this.releaseHandlers.functions.onAlarm);
    this.alarmEventRule = new AlarmEventRule(this, 'AlarmEventRule', { handler: this.releaseHandlers.functions.onAlarm });
    this.imagePushEventRule = new ImagePushEventRule(this, 'ImagePushEventRule', { handler: this.releaseHandlers.functions.onImagePushed });
  }
}
