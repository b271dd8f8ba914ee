import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalTable } from '../../lambdas/adapters/ApprovalTable.ts';
import { ExecutionAdapter } from '../../lambdas/adapters/ExecutionAdapter.ts';
import { ParameterAdapter } from '../../lambdas/adapters/ParameterAdapter.ts';
import { ReleaseTable } from '../../lambdas/adapters/ReleaseTable.ts';
import { decideApproval } from '../../lambdas/domain/approval.ts';
import { onPromotion, type OnPromotionResult } from '../../lambdas/domain/onPromotion.ts';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { seedExampleService, type ExampleService } from '../../sandbox/account/seedExampleService.ts';
import { LocalRunner } from '../../sandbox/localRunner.ts';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const SHORT_STRATEGY = { steps: [{ setWeight: 10 }, { pause: { durationSeconds: 60 } }, { setWeight: 100 }] };

describe('State machine: promotion by digest', () => {
  const account = new SimulatedAccount();
  let runner: LocalRunner;
  let example: ExampleService;

  const seed = (promotion: 'auto' | 'approval'): void => {
    example = seedExampleService(account, { terminationWaitSeconds: 0 });
    account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, strategy: SHORT_STRATEGY, promotion }));
  };
  /** The event the staging control plane's forwarding rule delivers to this (prod) environment's promotion bus. */
  const releaseSucceeded = (): Record<string, unknown> => ({
    source: 'cutover',
    'detail-type': 'Release Succeeded',
    account: account.accountId,
    detail: {
      service: example.service,
      environment: 'staging',
      releaseId: 'web-staging-cccccccccccccccc-0123456789',
      image: { repository: example.repository, digest: DIGEST },
      at: '2025-06-02T08:59:00.000Z',
    },
  });
  const promote = async (): Promise<OnPromotionResult> =>
    onPromotion(
      releaseSucceeded(),
      { parameters: new ParameterAdapter(), executions: new ExecutionAdapter() },
      { environment: example.environment, stateMachineArn: runner.releaseStateMachineArn(), promotedFrom: ['staging'] },
    );
  const promoteEvent = async (event: Record<string, unknown>): Promise<OnPromotionResult> =>
    onPromotion(event, { parameters: new ParameterAdapter(), executions: new ExecutionAdapter() }, { environment: example.environment, stateMachineArn: runner.releaseStateMachineArn(), promotedFrom: ['staging'] });
  const ledger = (): readonly Record<string, unknown>[] => account.dynamodb.documents(account.tableName, `RELEASE#${example.environment}#${example.service}`);

  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    account.install();
  });

  afterAll(() => {
    account.uninstall();
  });

  beforeEach(() => {
    account.reset();
    runner = new LocalRunner({ account });
  });

  it('starts a release of the same digest in the next environment and records where it came from', async () => {
    // Prepare
    seed('auto');
    const results: OnPromotionResult[] = [];

    // Act
    const [run] = await runner.runTriggered(async () => {
      results.push(await promote());
    });

    // Assess
    expect(results).toEqual([expect.objectContaining({ outcome: 'released', started: true, digest: DIGEST })]);
    expect(run?.status).toBe('SUCCEEDED');
    expect(ledger()).toEqual([
      expect.objectContaining({
        outcome: 'Succeeded',
        imageDigest: DIGEST,
        promotedFrom: { environment: 'staging', releaseId: 'web-staging-cccccccccccccccc-0123456789' },
        requestedBy: 'promotion from staging (web-staging-cccccccccccccccc-0123456789)',
      }),
    ]);
    expect(account.calls('DescribeImages')).toEqual([]);
  });

  it('waits for an approval when the service asks for one on promotions, then proceeds', async () => {
    // Prepare
    seed('approval');
    const releases = new ReleaseTable(undefined, account.tableName);
    runner.onTaskWaiting('AwaitApproval', async ({ now }) => {
      await decideApproval(
        { decision: 'approve', service: example.service, environment: example.environment, actor: 'bob' },
        { approvals: new ApprovalTable(undefined, account.tableName), executions: new ExecutionAdapter(), getLock: (environment, service) => releases.getLock(environment, service) },
        now,
      );
    });

    // Act
    const [run] = await runner.runTriggered(async () => {
      await promote();
    });

    // Assess
    expect(run?.status).toBe('SUCCEEDED');
    expect(run?.events.some((event) => event.stateName === 'AwaitApproval')).toBe(true);
    expect(ledger()[0]).toMatchObject({ promotedFrom: { environment: 'staging' }, approval: { decision: 'approved', decidedBy: 'bob' } });
  });

  it('starts nothing new when the same event arrives twice', async () => {
    // Prepare
    seed('auto');
    const results: OnPromotionResult[] = [];

    // Act
    const runs = await runner.runTriggered(async () => {
      results.push(await promote());
      results.push(await promote());
    });

    // Assess
    expect(runs).toHaveLength(1);
    expect(results[1]?.executionArn).toBe(results[0]?.executionArn);
    expect(ledger()).toHaveLength(1);
  });

  it('refuses an event from an environment that does not promote into this one, before touching AWS', async () => {
    // Prepare
    seed('auto');
    const event = releaseSucceeded();
    (event.detail as Record<string, unknown>).environment = 'dev';

    // Act & Assess
    await expect(
      onPromotion(event, { parameters: new ParameterAdapter(), executions: new ExecutionAdapter() }, { environment: example.environment, stateMachineArn: runner.releaseStateMachineArn(), promotedFrom: ['staging'] }),
    ).rejects.toMatchObject({ name: 'InvalidPromotionEvent' });
    expect(account.calls('StartExecution')).toEqual([]);
  });

  it.each([
    ['another account', (repository: string) => repository.replace(/^\d{12}/, '666666666666')],
    ['another repository of this account', (repository: string) => `${repository}-forged`],
  ])('refuses an image from %s that the service does not release, without changing anything', async (_label, forge) => {
    // Prepare
    seed('auto');
    const event = releaseSucceeded();
    const detail = event.detail as { image: { repository: string } };
    detail.image.repository = forge(detail.image.repository);
    const mutatingBefore = account.mutatingCalls().length;

    // Act & Assess
    await expect(promoteEvent(event)).rejects.toMatchObject({ name: 'PromotionImageRefused', message: expect.stringContaining(detail.image.repository) as unknown });
    expect(account.mutatingCalls()).toHaveLength(mutatingBefore);
    expect(account.calls('StartExecution')).toEqual([]);
  });

  it('releases from a repository listed in promotionRepositories, and refuses the triggers repository it replaces', async () => {
    // Prepare
    seed('auto');
    const sourceRepository = example.repository.replace(/^\d{12}/, '210987654321');
    account.ssm.seedParameter(example.parameterName, JSON.stringify({ ...example.config, strategy: SHORT_STRATEGY, promotionRepositories: [sourceRepository] }));
    const fromSource = releaseSucceeded();
    (fromSource.detail as { image: { repository: string } }).image.repository = sourceRepository;

    const results: OnPromotionResult[] = [];

    // Act
    const refused = await promoteEvent(releaseSucceeded()).catch((error: unknown) => error);
    const [run] = await runner.runTriggered(async () => {
      results.push(await promoteEvent(fromSource));
    });

    // Assess
    expect(refused).toMatchObject({ name: 'PromotionImageRefused' });
    expect(results).toEqual([expect.objectContaining({ outcome: 'released', started: true })]);
    expect(run?.status).toBe('SUCCEEDED');
    expect(account.calls('StartExecution')).toHaveLength(1);
  });
});

