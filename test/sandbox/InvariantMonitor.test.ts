import { ElasticLoadBalancingV2Client, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { seedExampleService, type ExampleService } from '../../sandbox/account/seedExampleService.ts';
import { InvariantMonitor } from '../../sandbox/InvariantMonitor.ts';
import type { LocalRunResult } from '../../sandbox/localRunner.ts';

const EXECUTION_ARN = 'arn:aws:states:eu-west-1:123456789012:execution:cutover-sandbox-release:web-release-1';

describe('Class: InvariantMonitor', () => {
  const account = new SimulatedAccount();
  let example: ExampleService;
  let monitor: InvariantMonitor;

  const setWeights = (blue: number, green: number): Promise<unknown> =>
    new ElasticLoadBalancingV2Client({ region: 'eu-west-1' }).send(
      new ModifyRuleCommand({
        RuleArn: example.productionListenerRuleArn,
        Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: example.blue.targetGroupArn, Weight: blue }, { TargetGroupArn: example.green.targetGroupArn, Weight: green }] } }],
      }),
    );
  const rolledBack = (events: LocalRunResult['events']): LocalRunResult => ({
    status: 'FAILED',
    error: 'ReleaseRolledBack',
    executionArn: EXECUTION_ARN,
    executionName: 'web-release-1',
    stateTransitions: 0,
    events,
    startedAt: new Date(0),
    endedAt: new Date(0),
  });

  beforeAll(() => {
    account.install();
  });

  afterAll(() => {
    account.uninstall();
  });

  beforeEach(() => {
    account.reset();
    example = seedExampleService(account);
    monitor = new InvariantMonitor(account);
    monitor.track(example, EXECUTION_ARN);
    monitor.start();
  });

  it('holds no violation for a split between two healthy colours', async () => {
    // Prepare
    account.ecs.seedService({ cluster: example.clusterName, serviceName: 'other', taskDefinitionArn: example.liveTaskDefinitionArn, desiredCount: 1, targetGroupArn: example.green.targetGroupArn, containerName: 'web', containerPort: 8080 });

    // Act
    await setWeights(90, 10);

    // Assess
    expect(monitor.violations).toEqual([]);
  });

  it('reports traffic sent to a target group without a healthy target (invariant 1)', async () => {
    // Act
    await setWeights(90, 10);

    // Assess
    expect(monitor.violations).toEqual([expect.objectContaining({ invariant: 1, service: 'web', after: 'elbv2 ModifyRule', message: expect.stringContaining('no healthy target') })]);
  });

  it('reports weights that do not sum to 100 (invariant 1)', async () => {
    // Act
    await setWeights(60, 0);

    // Assess
    expect(monitor.violations).toEqual([expect.objectContaining({ invariant: 1, message: "the production rule's weights sum to 60, not 100" })]);
  });

  it('reports the stable colour scaled down before promotion (invariant 2)', async () => {
    // Act
    await new ECSClient({ region: 'eu-west-1' }).send(new UpdateServiceCommand({ cluster: example.clusterName, service: example.blue.serviceName, desiredCount: 1 }));

    // Assess
    expect(monitor.violations.map((violation) => violation.invariant)).toContain(2);
  });

  it('allows the stable colour to be scaled down once the release is promoted', async () => {
    // Prepare
    await setWeights(0, 100);
    monitor.violations.length = 0;
    monitor.markPromoted('web');

    // Act
    await new ECSClient({ region: 'eu-west-1' }).send(new UpdateServiceCommand({ cluster: example.clusterName, service: example.blue.serviceName, desiredCount: 0 }));

    // Assess
    expect(monitor.violations.filter((violation) => violation.invariant === 2)).toEqual([]);
  });

  it('reports a held lock, a missing ledger record and an unrestored rollback at the end (invariants 3 and 4)', async () => {
    // Prepare
    account.dynamodb.seedDocument(account.tableName, { pk: 'LOCK#prod#web', sk: 'LOCK', releaseId: 'web-release-1', executionArn: EXECUTION_ARN });
    account.ecs.seedService({ cluster: example.clusterName, serviceName: 'other', taskDefinitionArn: example.liveTaskDefinitionArn, desiredCount: 1, targetGroupArn: example.green.targetGroupArn, containerName: 'web', containerPort: 8080 });
    await setWeights(50, 50);

    // Act
    monitor.checkEnded('web', rolledBack([{ type: 'StateExited', at: 0, stateName: 'Prepare' }]));

    // Assess
    const found = monitor.violations.map((violation) => [violation.invariant, violation.message]);
    expect(found).toEqual([
      [3, 'the lock is still held after the release ended (by web-release-1)'],
      [3, 'the ledger holds 0 records of the release, not exactly one'],
      [4, 'after the rollback the weights are blue 50 / green 50, not blue 100 / green 0'],
    ]);
  });
});
