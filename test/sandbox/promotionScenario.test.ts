import { beforeAll, describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { PROMOTION_APPROVER, PROMOTION_CHAIN, rehearsePromotion } from '../../sandbox/rehearsePromotion.ts';
import { rehearseRelease } from '../../sandbox/rehearseRelease.ts';
import type { SandboxReport } from '../../sandbox/sandboxReport.ts';

/** The promotion scenario end to end: dev → staging → prod in one simulated account, on one virtual clock. */
describe('Scenario: promotion dev → staging → prod', () => {
  const account = new SimulatedAccount();
  let report: SandboxReport;

  const ledgerOf = (environment: string): Record<string, unknown>[] => [...account.dynamodb.documents(account.tableName, `RELEASE#${environment}#web`)];
  const liveImageOf = (environment: string): string => {
    const green = account.ecs.describe(`${environment}-web-green`);
    const described = account.ecs.operations.DescribeTaskDefinition?.({ taskDefinition: String(green.taskDefinition) }) as { taskDefinition: { containerDefinitions: { name: string; image: string }[] } };
    return described.taskDefinition.containerDefinitions.find((container) => container.name === 'web')?.image ?? '';
  };

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    report = await rehearsePromotion({ scenario: 'promotion', releases: 1 }, () => {}, account);
  });

  it('releases the pushed digest in dev, then staging, then prod, each Succeeded, with every invariant held', () => {
    expect(report.outcome).toBe('Succeeded');
    expect(report.releases.map((release) => [release.environment, release.outcome, release.liveColor])).toEqual([
      ['dev', 'Succeeded', 'green'],
      ['staging', 'Succeeded', 'green'],
      ['prod', 'Succeeded', 'green'],
    ]);
    expect(report.invariantViolations).toEqual([]);
  });

  it('runs the same digest live in all three environments, at 100 %', () => {
    const ledgers = PROMOTION_CHAIN.map((environment) => ledgerOf(environment));
    const digest = String(ledgers[0]?.[0]?.imageDigest);

    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    for (const environment of PROMOTION_CHAIN) {
      expect(liveImageOf(environment)).toMatch(new RegExp(`/web@${digest}$`));
      const weights = account.elbv2.weights(ruleOf(environment)).map((group) => group.weight);
      expect(weights.sort((a, b) => a - b)).toEqual([0, 100]);
    }
    expect(report.releases.map((release) => release.weights)).toEqual(PROMOTION_CHAIN.map(() => ({ blue: 0, green: 100 })));
  });

  it('records where each promoted release came from in its ledger', () => {
    const [dev = [], staging = [], prod = []] = PROMOTION_CHAIN.map((environment) => ledgerOf(environment));

    expect(dev).toEqual([expect.objectContaining({ outcome: 'Succeeded' })]);
    expect(dev[0]?.promotedFrom).toBeUndefined();
    expect(staging).toEqual([expect.objectContaining({ outcome: 'Succeeded', imageDigest: dev[0]?.imageDigest, promotedFrom: { environment: 'dev', releaseId: dev[0]?.releaseId } })]);
    expect(prod).toEqual([
      expect.objectContaining({
        outcome: 'Succeeded',
        imageDigest: dev[0]?.imageDigest,
        promotedFrom: { environment: 'staging', releaseId: staging[0]?.releaseId },
        approval: expect.objectContaining({ decision: 'approved', decidedBy: PROMOTION_APPROVER }),
      }),
    ]);
  });

  it('starts each environment only after the previous one succeeded, and moves prod traffic only after the approval', () => {
    const [dev = {}, staging = {}, prod = {}] = PROMOTION_CHAIN.map((environment) => ledgerOf(environment)[0] ?? {});
    const approvedAt = Date.parse(String((prod.approval as { decidedAt?: string } | undefined)?.decidedAt));
    const prodShifts = account.calls('ModifyRule').filter((call) => call.error === undefined && call.input.RuleArn === ruleOf('prod'));

    expect(Date.parse(String(staging.startedAt))).toBeGreaterThanOrEqual(Date.parse(String(dev.endedAt)));
    expect(Date.parse(String(prod.startedAt))).toBeGreaterThanOrEqual(Date.parse(String(staging.endedAt)));
    expect(prodShifts.length).toBeGreaterThan(0);
    expect(prodShifts.every((call) => call.at >= approvedAt)).toBe(true);
    expect(report.timeline.some((entry) => entry.service === 'prod/web' && entry.label === 'AwaitApproval')).toBe(true);
    expect(report.timeline.some((entry) => entry.service === 'staging/web' && entry.label === 'AwaitApproval')).toBe(false);
  });

  it('is what rehearseRelease runs for --scenario promotion', async () => {
    // Act
    const rehearsed = await rehearseRelease({ scenario: 'promotion', releases: 1 });

    // Assess
    expect(rehearsed.releases.map((release) => `${String(release.environment)} ${release.outcome}`)).toEqual(['dev Succeeded', 'staging Succeeded', 'prod Succeeded']);
    expect(rehearsed.expectedOutcome).toBe('Succeeded');
  });

  /** The production listener rule the sandbox seeded for an environment's `web`. */
  function ruleOf(environment: string): string {
    const output = account.ssm.operations.GetParameter?.({ Name: `/cutover/${environment}/services/web` }) as { Parameter: { Value: string } };
    const config = JSON.parse(output.Parameter.Value) as { productionListenerRuleArn: string };
    return config.productionListenerRuleArn;
  }
});
