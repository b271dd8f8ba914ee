import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, it } from 'vitest';
import { SlackNotifier } from '../../lib/SlackNotifier.ts';

// Bundling the handler is slow: build the construct once for the file.
let template: Template;
let stack: Stack;
let notifier: SlackNotifier;

beforeAll(() => {
  const app = new App();
  stack = new Stack(app, 'SlackNotifierTest', { env: { account: '123456789012', region: 'eu-west-1' } });
  const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  notifier = new SlackNotifier(stack, 'SlackNotifier', { environment: 'prod', table });
  template = Template.fromStack(stack);
});

const logicalId = (construct: { node: { defaultChild?: unknown } }): string => stack.resolve(stack.getLogicalId(construct.node.defaultChild as never)) as string;

describe('Construct: SlackNotifier', () => {
  it('matches the phase changes of its own environment only', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['cutover'], 'detail-type': ['Release Phase Changed'], detail: { environment: ['prod'] } },
    });
  });

  it('dead-letters the phase changes EventBridge could not deliver to the notifier', () => {
    // Prepare
    const queue = logicalId(notifier.deadLetterQueue);

    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } } })],
    });
  });

  it('dead-letters the invocations the notifier failed on, without retrying them (a retry would repeat a message)', () => {
    // Prepare
    const queue = logicalId(notifier.deadLetterQueue);

    // Assess
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(notifier.notifier.function) },
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
  });

  it('keeps the dead-letter queue encrypted and TLS-only', () => {
    // Assess
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(notifier.deadLetterQueue) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});
