import { Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { serviceConfigParameterName, type StrategyStep, type Trigger } from '../lambdas/domain/serviceConfig.ts';

/** Properties of {@link ExampleServiceConfig}: the fields of lambdas/domain/serviceConfig.ts, from the stack's resources. */
export interface ExampleServiceConfigProps {
  readonly environment: string;
  readonly service: string;
  readonly cluster: string;
  readonly containerName: string;
  readonly blue: { readonly serviceName: string; readonly targetGroupArn: string };
  readonly green: { readonly serviceName: string; readonly targetGroupArn: string };
  readonly productionListenerRuleArn: string;
  readonly testListenerRuleArn: string;
  readonly alarmNames: readonly string[];
  /** The smoke test's URL, on the test listener. */
  readonly smokeTestUrl: string;
  /** ECR pushes that release the service here. @default [] (released by promotion or by hand) */
  readonly triggers?: readonly Trigger[];
  /** The repositories a promotion into this environment may release from (full ECR URIs). @default - none listed: only the triggers' repositories */
  readonly promotionRepositories?: readonly string[];
  /** Whether a promoted digest waits for `cutover approve`. @default 'auto' */
  readonly promotion?: 'auto' | 'approval';
  /** @default 10 % for 2 minutes, 50 % for 3 minutes, 100 % (short, so that a first release is quick to watch) */
  readonly steps?: readonly StrategyStep[];
  /** The Slack channel id release notifications go to (docs/slack.md). @default - no notifications */
  readonly slackChannel?: string;
  /** How long the old colour stays warm after 100 %. @default 120 */
  readonly terminationWaitSeconds?: number;
}

/**
 * The service's cutover configuration, the SSM parameter `/cutover/<environment>/services/<service>`, written from the
 * stack's own resources so that nothing is wired by hand.
 */
export class ExampleServiceConfig extends Construct {
  public readonly parameter: ssm.StringParameter;
  /** The configuration, CloudFormation tokens included. */
  public readonly value: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: ExampleServiceConfigProps) {
    super(scope, id);
    this.value = {
      cluster: props.cluster,
      containerName: props.containerName,
      blue: props.blue,
      green: props.green,
      productionListenerRuleArn: props.productionListenerRuleArn,
      testListenerRuleArn: props.testListenerRuleArn,
      alarmNames: props.alarmNames,
      strategy: { steps: props.steps ?? [{ setWeight: 10 }, { pause: { durationSeconds: 120 } }, { setWeight: 50 }, { pause: { durationSeconds: 180 } }, { setWeight: 100 }] },
      readyTimeoutSeconds: 600,
      terminationWaitSeconds: props.terminationWaitSeconds ?? 120,
      triggers: props.triggers ?? [],
      promotion: props.promotion ?? 'auto',
      ...(props.promotionRepositories === undefined ? {} : { promotionRepositories: props.promotionRepositories }),
      smokeTests: [{ name: 'home page', url: props.smokeTestUrl, expectStatus: 200, timeoutSeconds: 5 }],
      ...(props.slackChannel === undefined ? {} : { slack: { channel: props.slackChannel } }),
    };
    this.parameter = new ssm.StringParameter(this, 'Parameter', {
      parameterName: serviceConfigParameterName(props.environment, props.service),
      description: `cutover ${props.environment}: release configuration of the example service, written by its stack`,
      stringValue: Stack.of(this).toJsonString(this.value),
    });
  }
}
