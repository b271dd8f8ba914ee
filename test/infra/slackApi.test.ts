import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { SlackApi } from '../../lib/SlackApi.ts';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

// Bundling two handlers is slow: build the construct once for the file.
let template: Template;
let stack: Stack;
let api: SlackApi;

beforeAll(() => {
  const app = new App();
  stack = new Stack(app, 'SlackApiTest', { env: { account: '123456789012', region: 'eu-west-1' } });
  const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  api = new SlackApi(stack, 'SlackApi', { environment: 'prod', table, stateMachineName: 'cutover-prod-release' });
  template = Template.fromStack(stack);
});

function statementsOf(roleLogicalId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy['Properties'].Roles as { Ref: string }[]).some((role) => role.Ref === roleLogicalId))
    .flatMap((policy) => policy['Properties'].PolicyDocument.Statement as Statement[]);
}

describe('Construct: SlackApi', () => {
  it('throttles the stage with a rate and a burst limit', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })]),
    });
  });

  it('routes POST /slack/commands and POST /slack/interactions through a Lambda proxy integration', () => {
    // Assess
    for (const path of ['commands', 'interactions']) {
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: path });
    }
    template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'POST', Integration: Match.objectLike({ Type: 'AWS_PROXY' }) }, 2);
  });

  it('lets the endpoint read exactly the signing secret and the allow-list, and invoke only the worker', () => {
    // Prepare
    const role = stack.resolve(stack.getLogicalId(api.endpoint.role.node.defaultChild as never)) as string;

    // Act
    const statements = statementsOf(role);

    // Assess
    const ssm = statements.filter((statement) => asArray(statement.Action).some((action) => action.startsWith('ssm:')));
    expect(ssm).toHaveLength(1);
    expect(asArray(ssm[0]?.Action ?? [])).toEqual(['ssm:GetParameter']);
    expect(JSON.stringify(ssm[0]?.Resource)).toContain('parameter/cutover/prod/slack/signing-secret');
    expect(JSON.stringify(ssm[0]?.Resource)).toContain('parameter/cutover/prod/slack/allowed');
    expect(JSON.stringify(ssm[0]?.Resource)).not.toContain('*');
    const actions = statements.flatMap((statement) => asArray(statement.Action));
    expect(actions).not.toContain('states:SendTaskFailure');
    expect(actions.filter((action) => action.startsWith('lambda:'))).toEqual(['lambda:InvokeFunction']);
  });

  it('gives no function a secret or a secret parameter value in its environment', () => {
    // Act
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));

    // Assess
    expect(functions.length).toBeGreaterThanOrEqual(2);
    for (const fn of functions) {
      const variables = (fn['Properties'].Environment?.Variables ?? {}) as Record<string, unknown>;
      for (const [name, value] of Object.entries(variables)) {
        expect(name).not.toMatch(/SECRET|TOKEN|PASSWORD|SIGNING/i);
        expect(JSON.stringify(value)).not.toMatch(/xox[abp]-|signing-secret|bot-token/);
      }
    }
  });

  it('lets the worker answer bake tokens of the release state machine only', () => {
    // Prepare
    const role = stack.resolve(stack.getLogicalId(api.worker.role.node.defaultChild as never)) as string;

    // Act
    const statements = statementsOf(role).filter((statement) => asArray(statement.Action).includes('states:SendTaskSuccess'));

    // Assess
    expect(statements).toHaveLength(1);
    expect(JSON.stringify(statements[0]?.Resource)).toContain('stateMachine:cutover-prod-release"');
  });

  it('lets the worker update only the approval, ledger and lock items of its environment, for Approve / Reject', () => {
    // Prepare
    const role = stack.resolve(stack.getLogicalId(api.worker.role.node.defaultChild as never)) as string;

    // Act
    const statements = statementsOf(role).filter((statement) => asArray(statement.Action).some((action) => /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/.test(action)));

    // Assess
    expect(statements).toHaveLength(1);
    expect(asArray(statements[0]?.Action ?? [])).toEqual(['dynamodb:UpdateItem']);
    expect(statements[0]?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APPROVAL#prod#*', 'RELEASE#prod#*', 'LOCK#prod#*'] } });
  });

  it('never retries the worker, so an action is not run twice', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  it('dead-letters the worker invocations that failed or expired, still without a retry', () => {
    // Prepare
    const queue = stack.resolve(stack.getLogicalId(api.workerDeadLetterQueue.node.defaultChild as never)) as string;
    const worker = stack.resolve(stack.getLogicalId(api.worker.function.node.defaultChild as never)) as string;

    // Assess
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: worker },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const workerStatements = statementsOf(stack.resolve(stack.getLogicalId(api.worker.role.node.defaultChild as never)) as string);
    expect(workerStatements.some((statement) => asArray(statement.Action).includes('sqs:SendMessage') && JSON.stringify(statement.Resource).includes(queue))).toBe(true);
  });
});
