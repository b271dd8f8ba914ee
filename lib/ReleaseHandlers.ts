import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { cutoverNodejsFunctionProps } from './cutoverNodejsFunctionProps.ts';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ManagedResources } from './cutoverConfig.ts';
import { hasWildcard, iam5ResourceFindingId } from './nagFindingId.ts';
import { eventFunctions, releaseFunctions } from './releaseFunctions.ts';
import { type HandlerKey, releaseHandlerPermissions } from './releaseHandlerPermissions.ts';


/** Handlers that may take longer than the default timeout: Prepare reads several services, Rollback retries cleanup. */
const LONG_RUNNING: ReadonlySet<HandlerKey> = new Set<HandlerKey>(['prepare', 'rollback']);

/** RunSmokeTests sends its requests at once, each bounded by the test's timeoutSeconds (at most 60 s, see serviceConfig.ts). */
const SMOKE_TESTS_TIMEOUT = Duration.seconds(90);

/** Handlers whose success announces a release phase change on EventBridge. */
const PHASE_EVENT_HANDLERS: ReadonlySet<HandlerKey> = new Set<HandlerKey>(['prepare', 'shiftTraffic', 'requestApproval', 'bake', 'finalize', 'rollback', 'failRelease', 'gateFailed']);

/** Properties of {@link ReleaseHandlers}. */
export interface ReleaseHandlersProps {
  /** The cutover environment (scopes the SSM path the handlers may read). */
  readonly environment: string;
  /** The release table; its name is passed as `TABLE_NAME`. */
  readonly table: dynamodb.ITable;
  /** The release state machine's fixed name (Prepare may describe its executions, onImagePushed starts them). */
  readonly stateMachineName: string;
  /** Narrows the handlers' IAM resource patterns. */
  readonly managedResources: ManagedResources;
  /** The environments allowed to promote into this one (onPromotion refuses events of any other). @default [] */
  readonly promotedFrom?: readonly string[];
  /** How long handler logs are kept. @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** Memory of every handler, in MB. @default 256 */
  readonly memorySize?: number;
  /** Timeout of the quick handlers. @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** Timeout of Prepare and Rollback. @default Duration.seconds(60) */
  readonly longTimeout?: Duration;
}

/**
 * One bundled Lambda per entry of the function catalog (lib/releaseFunctions.ts) plus the event-driven onAlarm and onImagePushed,
 * each with its own least-privilege role and its own log group.
 */
export class ReleaseHandlers extends Construct {
  /** The handlers by catalog key. */
  public readonly functions: Record<HandlerKey, NodejsFunction>;

  constructor(scope: Construct, id: string, props: ReleaseHandlersProps) {
    super(scope, id);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    const memorySize = props.memorySize ?? 256;
    const timeout = props.timeout ?? Duration.seconds(30);
    const longTimeout = props.longTimeout ?? Duration.seconds(60);
    const permissions = releaseHandlerPermissions({
      stack: Stack.of(this),
      environment: props.environment,
      stateMachineName: props.stateMachineName,
      managedResources: props.managedResources,
    });

    // From the fixed name, not the state machine construct: the state machine depends on these functions.
    const stateMachineArn = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: props.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const entries: Record<HandlerKey, string> = {
      ...(Object.fromEntries(Object.entries(releaseFunctions).map(([key, { entry }]) => [key, entry])) as Record<string, string>),
      ...(Object.fromEntries(Object.entries(eventFunctions).map(([key, { entry }]) => [key, entry])) as Record<string, string>),
    } as Record<HandlerKey, string>;

    const functions: Partial<Record<HandlerKey, NodejsFunction>> = {};
    for (const [key, entry] of Object.entries(entries) as [HandlerKey, string][]) {
      const name = key.charAt(0).toUpperCase() + key.slice(1);
      const logGroup = new logs.LogGroup(this, `${name}Logs`, { retention: logRetention });
      // An own role instead of the default one: no AWSLambdaBasicExecutionRole (logs:* on every log group), only this log group.
      const role = new iam.Role(this, `${name}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `cutover ${props.environment} ${key} handler`,
      });
      logGroup.grantWrite(role);

      const fn = new NodejsFunction(
        this,
        `${name}Function`,
        cutoverNodejsFunctionProps({
          entry,
          description: `cutover ${props.environment}: ${key} (${entry})`,
          role,
          logGroup,
          memorySize,
          timeout: key === 'runSmokeTests' ? SMOKE_TESTS_TIMEOUT : LONG_RUNNING.has(key) ? longTimeout : timeout,
          environment: {
            TABLE_NAME: props.table.tableName,
            CUTOVER_ENVIRONMENT: props.environment,
            ...(key === 'onImagePushed' || key === 'onPromotion' ? { STATE_MACHINE_ARN: stateMachineArn } : {}),
            ...(key === 'onPromotion' ? { PROMOTED_FROM: (props.promotedFrom ?? []).join(',') } : {}),
            // The handlers that announce release phases (lambdas/middleware/releasePhaseEvents.ts) publish to the default bus.
            ...(PHASE_EVENT_HANDLERS.has(key) ? { EVENT_BUS_NAME: 'default' } : {}),
          },
        }),
      );

      const access = permissions[key];
      if (access.table === 'readWrite') props.table.grantReadWriteData(role);
      if (access.table === 'write') props.table.grantWriteData(role);

      const reasons = new Map<string, string[]>();
      const addReason = (findingId: string, reason: string): void => {
        const list = reasons.get(findingId) ?? [];
        if (!list.includes(reason)) list.push(reason);
        reasons.set(findingId, list);
      };
      for (const { statement, wildcardReason } of access.statements) {
        role.addToPrincipalPolicy(statement);
        for (const resource of statement.resources) {
          if (!hasWildcard(this, resource)) continue;
          if (!wildcardReason) {
            throw new Error(`${key}: the statement for ${statement.actions.join(', ')} has the wildcard resource ${resource} but no reason`);
          }
          addReason(iam5ResourceFindingId(this, resource), wildcardReason);
        }
      }
      addReason(
        'AwsSolutions-IAM5[Resource::*]',
        'xray:PutTraceSegments and xray:PutTelemetryRecords (added by tracing ACTIVE) do not support resource-level permissions.',
      );
      for (const [findingId, list] of reasons) {
        Validations.of(role).acknowledge({ id: findingId, reason: list.join(' ') });
      }
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'cutover pins nodejs22.x, the runtime its bundles are built for (esbuild target node22); moving to a newer runtime is a deliberate upgrade with its own test run, not a side effect of a CDK update.',
      });
      functions[key] = fn;
    }
    this.functions = functions as Record<HandlerKey, NodejsFunction>;
  }
}
