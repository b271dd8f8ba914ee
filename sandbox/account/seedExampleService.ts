import { createHash } from 'node:crypto';
import type { StrategyStep, Trigger } from '../../lambdas/domain/serviceConfig.ts';
import { serviceConfigParameterName } from '../../lambdas/domain/serviceConfig.ts';
import type { SimulatedAccount } from './SimulatedAccount.ts';

/** What to seed. Every field has a realistic default. */
export interface ExampleServiceOptions {
  /** @default 'prod' */
  readonly environment?: string;
  /** @default 'web' */
  readonly service?: string;
  /** Tasks of the live colour. @default 2 */
  readonly desiredCount?: number;
  /** The strategy steps in the SSM configuration. @default 10 % for 5 minutes, 50 % for 10 minutes, 100 % */
  readonly steps?: readonly StrategyStep[];
  /** @default 600 */
  readonly readyTimeoutSeconds?: number;
  /** @default 300 */
  readonly terminationWaitSeconds?: number;
  /** @default 86400 */
  readonly maxManualPauseSeconds?: number;
  /** ECR pushes that release the service. @default a push to the ECR repository named after the service with a tag matching `main-*` */
  readonly triggers?: readonly Trigger[];
  /** What a release does when another holds the lock (`queue` or `reject`). @default not set (the schema's default) */
  readonly onBusy?: string;
  /** Prefixes the ECS service names and the task definition family, e.g. `dev-` (the example stacks name them `<environment>-…`), so that several environments' services share one account. @default '' */
  readonly resourcePrefix?: string;
  /** Replaces the SSM parameter's text entirely (to seed an invalid configuration). */
  readonly configText?: string;
}

/** The resources of the seeded example service. */
export interface ExampleService {
  readonly environment: string;
  readonly service: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly containerName: string;
  readonly blue: { readonly serviceName: string; readonly targetGroupArn: string };
  readonly green: { readonly serviceName: string; readonly targetGroupArn: string };
  readonly productionListenerRuleArn: string;
  readonly alarmNames: readonly string[];
  /** The task definition both colours run at the start. */
  readonly liveTaskDefinitionArn: string;
  /** The image the live task definition's `web` container runs. */
  readonly liveImage: string;
  readonly parameterName: string;
  /** The configuration as stored in SSM (unless `configText` replaced it). */
  readonly config: Record<string, unknown>;
  /** The ECR repository URI of the service's image. */
  readonly repository: string;
}

/**
 * Seeds a realistic example service into the account: a cluster with a blue (live, `desiredCount` tasks) and a green
 * (idle, 0 tasks) ECS service, their target groups, a production listener rule forwarding blue 100 / green 0, a live
 * task definition with containers `web` and `log-router`, two alarms in OK, and the service's SSM configuration, whose
 * trigger releases it on a push of a `main-*` tag to its ECR repository (named after the service).
 */
export function seedExampleService(account: SimulatedAccount, options: ExampleServiceOptions = {}): ExampleService {
  const environment = options.environment ?? 'prod';
  const service = options.service ?? 'web';
  const { region, accountId } = account;
  const clusterName = `${environment}-apps`;
  const containerName = 'web';
  const repository = `${accountId}.dkr.ecr.${region}.amazonaws.com/${service}`;
  const liveImage = `${repository}@sha256:${'1'.repeat(64)}`;
  // Resource ids derived from the service, so that several example services never share a resource.
  const idOf = (purpose: string): string => createHash('sha256').update(`${environment}/${service}/${purpose}`).digest('hex').slice(0, 16);
  const targetGroupArn = (color: string): string => `arn:aws:elasticloadbalancing:${region}:${accountId}:targetgroup/${service}-${color}/${idOf(color)}`;
  const prefix = options.resourcePrefix ?? '';
  const blue = { serviceName: `${prefix}${service}-blue`, targetGroupArn: targetGroupArn('blue') };
  const green = { serviceName: `${prefix}${service}-green`, targetGroupArn: targetGroupArn('green') };
  const productionListenerRuleArn = `arn:aws:elasticloadbalancing:${region}:${accountId}:listener-rule/app/${environment}-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/${idOf('production-rule')}`;
  const alarmNames = [`${service}-${environment}-5xx-rate`, `${service}-${environment}-p99-latency`];

  const clusterArn = account.ecs.seedCluster(clusterName);
  const liveTaskDefinitionArn = account.ecs.seedTaskDefinition({
    family: `${prefix}${service}`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    executionRoleArn: `arn:aws:iam::${accountId}:role/${service}-execution`,
    taskRoleArn: `arn:aws:iam::${accountId}:role/${service}-task`,
    containerDefinitions: [
      {
        name: containerName,
        image: liveImage,
        essential: true,
        portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
        environment: [{ name: 'PORT', value: '8080' }],
        logConfiguration: { logDriver: 'awsfirelens' },
      },
      {
        name: 'log-router',
        image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
        essential: true,
        firelensConfiguration: { type: 'fluentbit' },
      },
    ],
    tags: [{ key: 'team', value: 'payments' }],
  });
  const desiredCount = options.desiredCount ?? 2;
  account.elbv2.seedTargetGroup(blue.targetGroupArn);
  account.elbv2.seedTargetGroup(green.targetGroupArn);
  account.ecs.seedService({ cluster: clusterName, serviceName: blue.serviceName, taskDefinitionArn: liveTaskDefinitionArn, desiredCount, targetGroupArn: blue.targetGroupArn, containerName, containerPort: 8080 });
  account.ecs.seedService({ cluster: clusterName, serviceName: green.serviceName, taskDefinitionArn: liveTaskDefinitionArn, desiredCount: 0, targetGroupArn: green.targetGroupArn, containerName, containerPort: 8080 });
  account.elbv2.seedForwardRule(productionListenerRuleArn, [
    { targetGroupArn: blue.targetGroupArn, weight: 100 },
    { targetGroupArn: green.targetGroupArn, weight: 0 },
  ]);
  for (const alarmName of alarmNames) account.cloudwatch.seedAlarm(alarmName);

  const config: Record<string, unknown> = {
    cluster: clusterName,
    containerName,
    blue,
    green,
    productionListenerRuleArn,
    alarmNames,
    strategy: { steps: options.steps ?? [{ setWeight: 10 }, { pause: { durationSeconds: 300 } }, { setWeight: 50 }, { pause: { durationSeconds: 600 } }, { setWeight: 100 }] },
    readyTimeoutSeconds: options.readyTimeoutSeconds ?? 600,
    terminationWaitSeconds: options.terminationWaitSeconds ?? 300,
    maxManualPauseSeconds: options.maxManualPauseSeconds ?? 86_400,
    triggers: options.triggers ?? [{ repository: service, tagPattern: 'main-*' }],
    ...(options.onBusy === undefined ? {} : { onBusy: options.onBusy }),
  };
  const parameterName = serviceConfigParameterName(environment, service);
  account.ssm.seedParameter(parameterName, options.configText ?? JSON.stringify(config, null, 2));

  return {
    environment,
    service,
    clusterName,
    clusterArn,
    containerName,
    blue,
    green,
    productionListenerRuleArn,
    alarmNames,
    liveTaskDefinitionArn,
    liveImage,
    parameterName,
    config,
    repository,
  };
}
