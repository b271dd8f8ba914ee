import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { assertPlaceholdersMatch } from './definitionPlaceholders.ts';
import { RELEASE_DEFINITION_PATH, type ReleaseFunctionKey, releaseFunctions } from './releaseFunctions.ts';

/** The repository root: the shipped definition is relative to it. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Properties of {@link ReleaseStateMachine}. */
export interface ReleaseStateMachineProps {
  /** The state machine's fixed name; handlers and the operator CLI derive ARNs from it. */
  readonly stateMachineName: string;
  /** The function behind each catalog entry; its ARN replaces the entry's placeholder in the definition. */
  readonly functions: Readonly<Record<ReleaseFunctionKey, lambda.IFunction>>;
  /** The ASL file. @default the shipped statemachines/release.asl.json */
  readonly definitionPath?: string;
  /** How long execution logs are kept. @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the execution log group when it leaves the stack. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The release state machine: the shipped ASL file, with `definitionSubstitutions` giving each `${...FunctionArn}`
 * placeholder the ARN of the catalog's function (synthesis fails if the file and the catalog disagree), all events
 * logged, X-Ray on.
 */
export class ReleaseStateMachine extends Construct {
  /** The state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** Its execution log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ReleaseStateMachineProps) {
    super(scope, id);
    const definitionPath = props.definitionPath ?? join(PROJECT_ROOT, RELEASE_DEFINITION_PATH);
    const definition = readFileSync(definitionPath, 'utf8');
    const entries = Object.entries(releaseFunctions) as [ReleaseFunctionKey, (typeof releaseFunctions)[ReleaseFunctionKey]][];
    assertPlaceholdersMatch(
      definition,
      entries.map(([, { placeholder }]) => placeholder),
      definitionPath,
    );
    const arns = Object.fromEntries(entries.map(([key, { placeholder }]) => [placeholder, props.functions[key].functionArn]));

    // vended-logs prefix: keeps the CloudWatch Logs resource policy that Step Functions log delivery needs short.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    // The shipped file goes into the template unchanged; CloudFormation fills the placeholders at deploy time.
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: arns,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // Exactly the catalog's functions, unqualified as the definition names them (grantInvoke would add `<arn>:*`).
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: entries.map(([key]) => props.functions[key].functionArn),
      }),
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for logging and tracing: the CloudWatch Logs delivery actions (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets do not support resource-level permissions.',
    });
  }

  /** Lets the grantee answer a waiting task token of this state machine either way (states:SendTaskSuccess and SendTaskFailure). */
  public grantTaskResponse(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grant(grantee, 'states:SendTaskSuccess', 'states:SendTaskFailure');
  }

  /** Lets the grantee fail a waiting task token of this state machine (states:SendTaskFailure only). */
  public grantTaskFailure(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grant(grantee, 'states:SendTaskFailure');
  }
}
