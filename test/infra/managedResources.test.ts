import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCutoverConfig } from '../../lib/cutoverConfig.ts';
import { CutoverStack } from '../../lib/CutoverStack.ts';

// Narrowed patterns and an explicit account/region; bundling is skipped here (cutoverStack.test.ts bundles).
let app: App;
let template: Template;

beforeAll(() => {
  app = new App({
    context: {
      'aws:cdk:bundling-stacks': [],
      environment: 'prod',
      cutover: {
        defaultEnvironment: 'dev',
        environments: {
          prod: {
            account: '123456789012',
            region: 'eu-west-1',
            managedResources: {
              clusterNames: ['apps', 'batch'],
              serviceNamePrefix: 'shop-',
              taskDefinitionFamilyPrefix: 'shop-',
              loadBalancerNamePrefix: 'shop-',
              alarmNamePrefix: 'shop-',
              passRoleNames: ['shop/*'],
            },
          },
        },
      },
    },
  });
  const config = readCutoverConfig((key) => app.node.tryGetContext(key));
  const stack = new CutoverStack(app, `Cutover-${config.environment}`, {
    config,
    env: { account: config.account, region: config.region },
  });
  template = Template.fromStack(stack);
});

const statementFor = (action: string) => ({
  Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: action, Effect: 'Allow' })]) } },
});

describe('Stack: CutoverStack with managedResources', () => {
  it('scopes ECS service actions to the managed clusters and service prefix', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ecs:UpdateService',
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:eu-west-1:123456789012:service/apps/shop-*']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:eu-west-1:123456789012:service/batch/shop-*']] },
            ],
          }),
        ]),
      },
    });
  });

  it('scopes ModifyRule, DescribeAlarms, TagResource and PassRole to the managed prefixes', () => {
    const resourceOf = (action: string): string[] => {
      const policies = template.findResources('AWS::IAM::Policy', statementFor(action));
      return Object.values(policies)
        .flatMap((p) => p['Properties'].PolicyDocument.Statement as { Action: string; Resource: unknown }[])
        .filter((s) => s.Action === action)
        .map((s) => JSON.stringify(s.Resource));
    };

    // shiftTraffic, rollback, pointTestListener and gateFailed; prepare and bake
    expect(resourceOf('elasticloadbalancing:ModifyRule')).toEqual(Array.from({ length: 4 }, () => expect.stringContaining(':listener-rule/app/shop-*')));
    expect(resourceOf('ecs:RunTask')).toEqual([expect.stringContaining(':task-definition/shop-*:*')]);
    expect(resourceOf('ecs:StopTask')).toEqual(Array.from({ length: 2 }, () => expect.stringMatching(/:task\/apps\/\*.*:task\/batch\/\*/)));
    expect(resourceOf('cloudwatch:DescribeAlarms')).toEqual([expect.stringContaining(':alarm:shop-*'), expect.stringContaining(':alarm:shop-*')]);
    expect(resourceOf('ecs:TagResource')).toEqual([expect.stringContaining(':task-definition/shop-*')]);
    expect(resourceOf('iam:PassRole')).toEqual(Array.from({ length: 2 }, () => expect.stringContaining(':iam::123456789012:role/shop/*')));
  });

  it('scopes SSM reads to the prod path', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ssm:GetParameter',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1:123456789012:parameter/cutover/prod/services/*']] },
          }),
        ]),
      },
    });
  });

  it('acknowledges exactly the narrowed patterns, so cdk-nag reports nothing', () => {
    const report = new AwsSolutionsChecks().validateScope(app);

    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});
