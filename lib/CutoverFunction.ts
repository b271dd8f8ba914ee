import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { cutoverNodejsFunctionProps } from './cutoverNodejsFunctionProps.ts';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { hasWildcard, iam5ResourceFindingId } from './nagFindingId.ts';
import type { HandlerStatement } from './releaseHandlerPermissions.ts';


/** Properties of {@link CutoverFunction}. */
export interface CutoverFunctionProps {
  /** The handler file, relative to the project root (e.g. `lambdas/handlers/slackEndpoint.ts`). */
  readonly entry: string;
  /** What the function is for, in its description and its role's. */
  readonly purpose: string;
  /** Environment variables. Never secrets: those are read from SSM at run time. */
  readonly environment: Record<string, string>;
  /** Everything the function may do besides writing its logs; a wildcard resource needs a reason. */
  readonly statements: readonly HandlerStatement[];
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** In MB. @default 256 */
  readonly memorySize?: number;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One bundled cutover Lambda with its own least-privilege role and its own log group, built like the release handlers
 * (ESM bundle with the pinned SDK, nodejs22.x on arm64, active tracing). Used by the Slack constructs.
 */
export class CutoverFunction extends Construct {
  /** The function. */
  public readonly function: NodejsFunction;
  /** Its role: the function's statements and its log group only. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: CutoverFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS });
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `cutover ${props.purpose}` });
    logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(
      this,
      'Function',
      cutoverNodejsFunctionProps({
        entry: props.entry,
        description: `cutover ${props.purpose} (${props.entry})`,
        role: this.role,
        logGroup,
        memorySize: props.memorySize ?? 256,
        timeout: props.timeout ?? Duration.seconds(30),
        environment: props.environment,
      }),
    );

    const reasons = new Map<string, string[]>();
    for (const { statement, wildcardReason } of props.statements) {
      this.role.addToPrincipalPolicy(statement);
      for (const resource of statement.resources) {
        if (!hasWildcard(this, resource)) continue;
        if (!wildcardReason) throw new Error(`${props.entry}: the statement for ${statement.actions.join(', ')} has the wildcard resource ${resource} but no reason`);
        const findingId = iam5ResourceFindingId(this, resource);
        reasons.set(findingId, [...(reasons.get(findingId) ?? []), wildcardReason]);
      }
    }
    reasons.set('AwsSolutions-IAM5[Resource::*]', [
      'xray:PutTraceSegments and xray:PutTelemetryRecords (added by tracing ACTIVE) do not support resource-level permissions.',
    ]);
    for (const [findingId, list] of reasons) Validations.of(this.role).acknowledge({ id: findingId, reason: [...new Set(list)].join(' ') });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'cutover pins nodejs22.x, the runtime its bundles are built for (esbuild target node22); moving to a newer runtime is a deliberate upgrade with its own test run, not a side effect of a CDK update.',
    });
  }
}
