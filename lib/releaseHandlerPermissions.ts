import { ArnFormat, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ManagedResources } from './cutoverConfig.ts';
import type { eventFunctions, ReleaseFunctionKey } from './releaseFunctions.ts';

/** The key of any cutover handler: the state machine's functions and the event-driven ones. */
export type HandlerKey = ReleaseFunctionKey | keyof typeof eventFunctions;

/** One IAM statement a handler needs, with the reason a reviewer accepts for each wildcard in its resources. */
export interface HandlerStatement {
  readonly statement: iam.PolicyStatement;
  /** Why the statement's resources contain `*`. Required when they do (checked when the role is built). */
  readonly wildcardReason?: string;
}

/** What one handler may do. */
export interface HandlerPermissions {
  /** Access to the release table, granted with the table's `grant*` helpers. */
  readonly table: 'none' | 'write' | 'readWrite';
  /** Everything else. Actions are always named; never `*` or `service:*`. */
  readonly statements: readonly HandlerStatement[];
}

/** What the permissions are derived from. */
export interface HandlerPermissionsInput {
  /** The stack the ARNs are formatted in (its partition, region and account). */
  readonly stack: Stack;
  /** The cutover environment: scopes the SSM path. */
  readonly environment: string;
  /** The release state machine's fixed name (an ARN from the name avoids a dependency cycle with the definition). */
  readonly stateMachineName: string;
  /** Narrows the resource patterns. */
  readonly managedResources: ManagedResources;
}

const NO_RESOURCE_LEVEL = (actions: string): string =>
  `${actions} does not support resource-level permissions (Service Authorization Reference), so the resource must be '*'; the action itself is named.`;

const MANAGED_PATTERN = (what: string, field: string): string =>
  `cutover acts on ${what} named in each service's SSM configuration at run time, so the ARN ends in a wildcard; ` +
  `the pattern is narrowed by managedResources.${field} in cdk.json.`;

/**
 * Least-privilege permissions of every handler: named actions, resources scoped as far as each action allows.
 * The release table grants are applied separately with the table's `grant*` helpers.
 */
export function releaseHandlerPermissions(input: HandlerPermissionsInput): Record<HandlerKey, HandlerPermissions> {
  const { stack, environment, stateMachineName, managedResources: managed } = input;

  const serviceArns = managed.clusterNames.map((cluster) =>
    stack.formatArn({
      service: 'ecs',
      resource: 'service',
      resourceName: `${cluster}/${managed.serviceNamePrefix}*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }),
  );
  const serviceReason = MANAGED_PATTERN('ECS services', 'clusterNames and serviceNamePrefix');
  const describeServices = (): HandlerStatement => ({
    statement: new iam.PolicyStatement({ actions: ['ecs:DescribeServices'], resources: serviceArns }),
    wildcardReason: serviceReason,
  });
  const updateService = (): HandlerStatement => ({
    statement: new iam.PolicyStatement({ actions: ['ecs:UpdateService'], resources: serviceArns }),
    wildcardReason: serviceReason,
  });
  const modifyRule = (): HandlerStatement => ({
    statement: new iam.PolicyStatement({
      actions: ['elasticloadbalancing:ModifyRule'],
      resources: [
        stack.formatArn({
          service: 'elasticloadbalancing',
          resource: 'listener-rule',
          resourceName: `app/${managed.loadBalancerNamePrefix}*`,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    }),
    wildcardReason: MANAGED_PATTERN('ALB listener rules', 'loadBalancerNamePrefix'),
  });
  const describeAlarms = (): HandlerStatement => ({
    statement: new iam.PolicyStatement({
      actions: ['cloudwatch:DescribeAlarms'],
      resources: [
        stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: `${managed.alarmNamePrefix}*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
    wildcardReason: MANAGED_PATTERN('CloudWatch alarms', 'alarmNamePrefix'),
  });

  const clusterArns = managed.clusterNames.map((cluster) =>
    stack.formatArn({ service: 'ecs', resource: 'cluster', resourceName: cluster, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
  );
  const taskDefinitionArns = [
    stack.formatArn({
      service: 'ecs',
      resource: 'task-definition',
      resourceName: `${managed.taskDefinitionFamilyPrefix}*:*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }),
  ];
  const passTaskRoles = (): HandlerStatement => ({
    statement: new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: managed.passRoleNames.map((name) =>
        stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
      ),
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }),
    wildcardReason:
      "A task runs with its task definition's task and execution roles, which belong to each service; PassRole is limited to ecs-tasks.amazonaws.com and to managedResources.passRoleNames in cdk.json.",
  });
  const stopMigrationTasks = (): HandlerStatement[] => [
    {
      // ListTasks is authorised on container instances, not tasks: the cluster condition is what scopes it.
      statement: new iam.PolicyStatement({ actions: ['ecs:ListTasks'], resources: ['*'], conditions: { ArnLike: { 'ecs:cluster': clusterArns } } }),
      wildcardReason: 'ecs:ListTasks is authorised on container instances, not on tasks, so the resource is \'*\'; the ecs:cluster condition limits it to managedResources.clusterNames.',
    },
    {
      statement: new iam.PolicyStatement({
        actions: ['ecs:StopTask'],
        resources: managed.clusterNames.map((cluster) =>
          stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${cluster}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
        ),
      }),
      wildcardReason: 'cutover stops the migration tasks it started, whose ids ECS assigns at run time; the pattern is the tasks of managedResources.clusterNames.',
    },
  ];
  const describeRules = (): HandlerStatement => ({
    statement: new iam.PolicyStatement({ actions: ['elasticloadbalancing:DescribeRules'], resources: ['*'] }),
    wildcardReason: NO_RESOURCE_LEVEL('elasticloadbalancing:DescribeRules'),
  });

  // Phase-change events (lambdas/middleware/releasePhaseEvents.ts) go to the default event bus of the account and region.
  const putPhaseEvents = (): HandlerStatement => ({
    statement: new iam.PolicyStatement({
      actions: ['events:PutEvents'],
      resources: [stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default', arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
    }),
  });

  return {
    prepare: {
      table: 'readWrite',
      statements: [
        putPhaseEvents(),
        {
          statement: new iam.PolicyStatement({
            actions: ['ssm:GetParameter'],
            resources: [
              stack.formatArn({
                service: 'ssm',
                resource: 'parameter',
                resourceName: `cutover/${environment}/services/*`,
                arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
              }),
            ],
          }),
          wildcardReason: `Prepare reads the configuration of the service being released, one parameter per service under /cutover/${environment}/services/; the pattern is that path of this environment only.`,
        },
        {
          statement: new iam.PolicyStatement({ actions: ['elasticloadbalancing:DescribeRules'], resources: ['*'] }),
          wildcardReason: NO_RESOURCE_LEVEL('elasticloadbalancing:DescribeRules'),
        },
        describeServices(),
        describeAlarms(),
        {
          // A rollback (rollbackTo) checks the earlier task definition it goes back to.
          statement: new iam.PolicyStatement({ actions: ['ecs:DescribeTaskDefinition'], resources: ['*'] }),
          wildcardReason: NO_RESOURCE_LEVEL('ecs:DescribeTaskDefinition'),
        },
        {
          statement: new iam.PolicyStatement({
            actions: ['ecr:DescribeImages'],
            resources: [stack.formatArn({ service: 'ecr', region: '*', account: '*', resource: 'repository', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
          }),
          wildcardReason:
            'Prepare resolves an image tag to its digest (read only, image metadata) in the repository the release input names, which may be a repository URI of another account or region; the pattern is ECR repositories of this partition.',
        },
        {
          statement: new iam.PolicyStatement({
            actions: ['states:DescribeExecution'],
            resources: [
              stack.formatArn({
                service: 'states',
                resource: 'execution',
                resourceName: `${stateMachineName}:*`,
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            ],
          }),
          wildcardReason: `Prepare checks whether the execution holding a service's lock still runs; the pattern is the executions of ${stateMachineName} only.`,
        },
      ],
    },
    build: {
      table: 'none',
      statements: [
        {
          statement: new iam.PolicyStatement({
            actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'],
            resources: ['*'],
          }),
          wildcardReason: NO_RESOURCE_LEVEL('ecs:DescribeTaskDefinition and ecs:RegisterTaskDefinition'),
        },
        {
          // RegisterTaskDefinition copies the live revision's tags; tagging on create needs ecs:TagResource.
          statement: new iam.PolicyStatement({
            actions: ['ecs:TagResource'],
            resources: [
              stack.formatArn({
                service: 'ecs',
                resource: 'task-definition',
                resourceName: `${managed.taskDefinitionFamilyPrefix}*`,
                arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
              }),
            ],
            conditions: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
          }),
          wildcardReason: MANAGED_PATTERN('task definition families', 'taskDefinitionFamilyPrefix') + ' Only when tagging on RegisterTaskDefinition.',
        },
        {
          statement: new iam.PolicyStatement({
            actions: ['iam:PassRole'],
            resources: managed.passRoleNames.map((name) =>
              stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
            ),
            conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
          }),
          wildcardReason:
            "A new revision keeps the live revision's task and execution roles, which belong to each service; PassRole is limited to ecs-tasks.amazonaws.com and to managedResources.passRoleNames in cdk.json.",
        },
      ],
    },
    deployIdle: { table: 'none', statements: [updateService()] },
    checkIdleReady: {
      table: 'none',
      statements: [
        describeServices(),
        {
          statement: new iam.PolicyStatement({ actions: ['elasticloadbalancing:DescribeTargetHealth'], resources: ['*'] }),
          wildcardReason: NO_RESOURCE_LEVEL('elasticloadbalancing:DescribeTargetHealth'),
        },
      ],
    },
    shiftTraffic: { table: 'none', statements: [modifyRule(), putPhaseEvents()] },
    bake: { table: 'write', statements: [describeAlarms(), putPhaseEvents()] },
    finalize: { table: 'readWrite', statements: [updateService(), ...stopMigrationTasks(), putPhaseEvents()] },
    rollback: { table: 'readWrite', statements: [modifyRule(), updateService(), putPhaseEvents()] },
    failRelease: { table: 'readWrite', statements: [putPhaseEvents()] },
    runMigration: {
      table: 'readWrite',
      statements: [
        {
          statement: new iam.PolicyStatement({ actions: ['ecs:DescribeTaskDefinition'], resources: ['*'] }),
          wildcardReason: NO_RESOURCE_LEVEL('ecs:DescribeTaskDefinition'),
        },
        describeServices(),
        {
          statement: new iam.PolicyStatement({
            actions: ['ecs:RunTask'],
            resources: taskDefinitionArns,
            conditions: { ArnLike: { 'ecs:cluster': clusterArns } },
          }),
          wildcardReason: MANAGED_PATTERN('task definition families', 'taskDefinitionFamilyPrefix') + ' RunTask only in managedResources.clusterNames (ecs:cluster condition).',
        },
        passTaskRoles(),
        {
          // A migration that already succeeded for the digest answers its own token at once. From the fixed name:
          // the state machine's definition names this function, so a grant on the construct would be a cycle.
          statement: new iam.PolicyStatement({
            actions: ['states:SendTaskSuccess'],
            resources: [
              stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
            ],
          }),
        },
      ],
    },
    pointTestListener: { table: 'none', statements: [describeRules(), modifyRule()] },
    // Smoke tests only make HTTP requests to the test listener: no AWS permission at all.
    runSmokeTests: { table: 'none', statements: [] },
    gateFailed: { table: 'readWrite', statements: [modifyRule(), updateService(), ...stopMigrationTasks(), putPhaseEvents()] },
    checkReleasePolicy: {
      table: 'none',
      statements: [
        {
          statement: new iam.PolicyStatement({
            actions: ['ssm:GetParameter'],
            resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `cutover/${environment}/settings`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
          }),
        },
      ],
    },
    // Stores the approval's task token (cutover approve|reject or the Slack worker answers it) and announces WaitingForApproval.
    requestApproval: { table: 'write', statements: [putPhaseEvents()] },
    // Stores the freeze wait's task token on the lock; cutover abort fails it with the operator's credentials.
    awaitFreezeEnd: { table: 'write', statements: [] },
    onPromotion: {
      table: 'none',
      statements: [
        {
          statement: new iam.PolicyStatement({
            actions: ['ssm:GetParameter'],
            resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `cutover/${environment}/services/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
          }),
          wildcardReason: `onPromotion reads the configuration of the promoted service (its promotion setting), one parameter per service under /cutover/${environment}/services/; the pattern is that path of this environment only.`,
        },
        {
          statement: new iam.PolicyStatement({
            actions: ['states:StartExecution'],
            resources: [
              stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
            ],
          }),
        },
      ],
    },
    // states:SendTaskSuccess and SendTaskFailure on the state machine are granted by ReleaseStateMachine.grantTaskResponse.
    onTaskStopped: { table: 'readWrite', statements: [] },
    // states:SendTaskFailure on the state machine is granted by ReleaseStateMachine.grantTaskFailure.
    onAlarm: { table: 'readWrite', statements: [] },
    onImagePushed: {
      table: 'none',
      statements: [
        {
          // GetParametersByPath is authorised on the path itself; the parameters under it are read in the same call.
          statement: new iam.PolicyStatement({
            actions: ['ssm:GetParametersByPath'],
            resources: [
              stack.formatArn({
                service: 'ssm',
                resource: 'parameter',
                resourceName: `cutover/${environment}/services`,
                arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
              }),
            ],
          }),
        },
        {
          statement: new iam.PolicyStatement({
            actions: ['states:StartExecution'],
            resources: [
              stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
            ],
          }),
        },
      ],
    },
  };
}
