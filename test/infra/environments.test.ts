import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { readCutoverEnvironments } from '../../lib/cutoverConfig.ts';
import { CutoverStack } from '../../lib/CutoverStack.ts';

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
type Environment = (typeof ENVIRONMENTS)[number];

/** Every string inside a CloudFormation value, Fn::Join flattened; references as `<LogicalId>`. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(flatten).join(' ');
  const record = value as Record<string, unknown>;
  if (Array.isArray(record['Fn::Join'])) {
    const [delimiter, parts] = record['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(delimiter);
  }
  if (typeof record['Ref'] === 'string') return `<${record['Ref']}>`;
  if (Array.isArray(record['Fn::GetAtt'])) return `<${(record['Fn::GetAtt'] as string[]).join('.')}>`;
  return Object.values(record).map(flatten).join(' ');
}

// The shipped cdk.json, all environments, as bin/app.ts builds them; bundling skipped (cutoverStack.test.ts bundles).
let app: App;
const templates = {} as Record<Environment, Template>;

beforeAll(() => {
  app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const stacks = readCutoverEnvironments((key) => app.node.tryGetContext(key)).map(
    (config) => [config.environment as Environment, new CutoverStack(app, `Cutover-${config.environment}`, { config })] as const,
  );
  // Synthesis happens once, on the first Template: every stack exists by then.
  for (const [environment, stack] of stacks) templates[environment] = Template.fromStack(stack);
});

/** Every IAM statement of a template (identity policies), with its resources and conditions as flat strings. */
function statementsOf(template: Template): { readonly actions: string[]; readonly text: string }[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    (policy['Properties'].PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Condition?: unknown }[]).map((statement) => ({
      actions: [statement.Action].flat(),
      text: `${flatten(statement.Resource)} ${statement.Condition === undefined ? '' : flatten(statement.Condition)}`,
    })),
  );
}

describe('App: one isolated control plane per environment', () => {
  it('creates one stack per environment of cdk.json', () => {
    expect(app.node.children.filter((child) => child instanceof CutoverStack).map((child) => child.node.id)).toEqual(['Cutover-dev', 'Cutover-staging', 'Cutover-prod']);
  });

  it.each(ENVIRONMENTS)('names the %s table, state machine, settings parameter and API after the environment', (environment) => {
    const template = templates[environment];
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: `cutover-${environment}-releases` });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: `cutover-${environment}-release` });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: `/cutover/${environment}/settings` });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: `cutover-${environment}-slack` });
  });

  it.each(ENVIRONMENTS)('gives the %s IAM policies no resource of another environment except the next promotion bus', (environment) => {
    const others = ENVIRONMENTS.filter((other) => other !== environment);
    const leaks = statementsOf(templates[environment]).filter(({ text }) =>
      others.some((other) => text.includes(`cutover-${other}-`) || text.includes(`cutover/${other}/`) || new RegExp(`[/:]${other}-`).test(text)),
    );

    const next = { dev: 'staging', staging: 'prod', prod: undefined }[environment];
    expect(leaks).toEqual(next === undefined ? [] : [{ actions: ['events:PutEvents'], text: expect.stringMatching(new RegExp(`:event-bus/cutover-${next}-promotions $`)) }]);
  });

  it.each(ENVIRONMENTS)('narrows the %s handlers to its own name prefixes', (environment) => {
    const texts = statementsOf(templates[environment]).map(({ text }) => text);
    expect(texts.filter((text) => text.includes(':listener-rule/'))).not.toHaveLength(0);
    expect(texts.filter((text) => text.includes(':listener-rule/') && !text.includes(`:listener-rule/app/${environment}-*`))).toEqual([]);
    expect(texts.filter((text) => text.includes(':service/') && !text.includes(`:service/${environment}-*/${environment}-*`))).toEqual([]);
  });
});

describe('Promotion path: dev → staging → prod', () => {
  it.each([
    ['dev', 'staging'],
    ['staging', 'prod'],
  ] as const)('forwards %s Release Succeeded events to the %s promotion bus', (source, target) => {
    templates[source].hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['cutover'], 'detail-type': ['Release Succeeded'], detail: { environment: [source] } },
      Targets: [Match.objectLike({ Arn: Match.objectLike({ 'Fn::Join': Match.anyValue() }), RoleArn: Match.anyValue() })],
    });
    const rule = Object.values(templates[source].findResources('AWS::Events::Rule')).find(
      (resource) => JSON.stringify(resource['Properties'].EventPattern ?? {}) === JSON.stringify({ source: ['cutover'], 'detail-type': ['Release Succeeded'], detail: { environment: [source] } }),
    );
    expect(flatten(rule?.['Properties'].Targets[0].Arn)).toMatch(new RegExp(`:event-bus/cutover-${target}-promotions$`));
  });

  it('has no forwarding rule in prod, the last environment', () => {
    const forwarding = Object.values(templates.prod.findResources('AWS::Events::Rule')).filter(
      (resource) => JSON.stringify(resource['Properties'].EventPattern ?? {}) === JSON.stringify({ source: ['cutover'], 'detail-type': ['Release Succeeded'], detail: { environment: ['prod'] } }),
    );
    expect(forwarding).toEqual([]);
  });

  it.each(['staging', 'prod'] as const)('lets only the source account put only Release Succeeded events of cutover on the %s promotion bus', (environment) => {
    const template = templates[environment];
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: `cutover-${environment}-promotions` });
    template.resourceCountIs('AWS::Events::EventBusPolicy', 1);
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
        Condition: { StringEquals: { 'events:source': 'cutover', 'events:detail-type': 'Release Succeeded' } },
      },
    });
  });

  it('has no promotion bus in dev, which nothing promotes into', () => {
    templates.dev.resourceCountIs('AWS::Events::EventBus', 0);
    templates.dev.resourceCountIs('AWS::Events::EventBusPolicy', 0);
  });

  it('names the source account in the bus policy when the environments live in different accounts', () => {
    // Prepare
    const crossAccount = new App({
      context: {
        'aws:cdk:bundling-stacks': [],
        cutover: { environments: { staging: { account: '111111111111', region: 'eu-west-1', promoteTo: 'prod' }, prod: { account: '222222222222', region: 'eu-west-1' } } },
      },
    });
    const [staging, prod] = readCutoverEnvironments((key) => crossAccount.node.tryGetContext(key)).map(
      (config) => new CutoverStack(crossAccount, `Cutover-${config.environment}`, { config, env: { account: config.account, region: config.region } }),
    );

    // Act
    const target = Template.fromStack(prod as CutoverStack);
    const source = Template.fromStack(staging as CutoverStack);

    // Assess
    target.hasResourceProperties('AWS::Events::EventBusPolicy', { Statement: Match.objectLike({ Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } } }) });
    const putEvents = statementsOf(source).filter(({ actions }) => actions.includes('events:PutEvents')).map(({ text }) => text);
    expect(putEvents).toContain('arn:<AWS::Partition>:events:eu-west-1:222222222222:event-bus/cutover-prod-promotions ');
  });
});

describe('Release policy: approvals and freezes in prod only', () => {
  it.each([
    ['dev', false],
    ['staging', false],
    ['prod', true],
  ] as const)('writes requireApproval %s → %s into /cutover/<environment>/settings', (environment, requireApproval) => {
    const [parameter] = Object.values(templates[environment].findResources('AWS::SSM::Parameter', { Properties: { Name: `/cutover/${environment}/settings` } }));
    const settings = JSON.parse(parameter?.['Properties'].Value as string) as { requireApproval: boolean; freeze: { windows: unknown[] } };
    expect(settings.requireApproval).toBe(requireApproval);
    expect(settings.freeze.windows.length > 0).toBe(requireApproval);
  });

  it('lets CheckReleasePolicy read only its own environment settings parameter', () => {
    const texts = statementsOf(templates.prod).filter(({ actions }) => actions.includes('ssm:GetParameter')).map(({ text }) => text);
    expect(texts.filter((text) => text.includes('/settings'))).toEqual(['arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/cutover/prod/settings ']);
  });
});

describe('cdk-nag', () => {
  it('reports no unacknowledged AwsSolutions finding in any environment', () => {
    const report = new AwsSolutionsChecks().validateScope(app);

    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});
