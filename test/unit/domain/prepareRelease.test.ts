import { beforeEach, describe, expect, it } from 'vitest';
import {
  ConcurrentReleaseError,
  InvalidReleaseInput,
  InvalidServiceConfig,
  ReleaseQueued,
  ReleaseSuperseded,
  TrafficNotSettled,
} from '../../../lambdas/domain/errors.ts';
import type { EcrRepositoryLocation, EcsServiceView, LedgerRecord, LockRecord } from '../../../lambdas/domain/ports.ts';
import { prepareRelease, type PrepareReleasePorts } from '../../../lambdas/domain/prepareRelease.ts';
import type { PrepareEvent } from '../../../lambdas/domain/releaseState.ts';
import { fakeAwsPorts } from '../../support/fakeAwsPorts.ts';

const NOW = new Date('2025-03-01T12:00:05.000Z');
const DIGEST = `sha256:${'d'.repeat(64)}`;
const PARAMETER = '/cutover/prod/services/orders';
const RULE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/0123456789abcdef/0123456789abcdef/0123456789abcdef';
const BLUE_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-blue/0123456789abcdef';
const GREEN_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-green/fedcba9876543210';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:cutover-release:rel-2';
const OTHER_EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:cutover-release:rel-1';

const config = {
  cluster: 'main',
  containerName: 'app',
  blue: { serviceName: 'orders-blue', targetGroupArn: BLUE_TG },
  green: { serviceName: 'orders-green', targetGroupArn: GREEN_TG },
  productionListenerRuleArn: RULE,
  alarmNames: ['orders-5xx', 'orders-latency'],
};

const event: PrepareEvent = {
  input: { service: 'orders', environment: 'prod', image: { repository: 'orders', digest: DIGEST }, requestedBy: 'alice' },
  executionArn: EXECUTION,
  executionName: 'rel-2',
  startTime: '2025-03-01T12:00:00.000Z',
};

function aService(serviceName: string, taskDefinition: string, desiredCount: number): EcsServiceView {
  return {
    serviceName,
    serviceArn: `arn:aws:ecs:eu-west-1:123456789012:service/main/${serviceName}`,
    status: 'ACTIVE',
    taskDefinition,
    desiredCount,
    runningCount: desiredCount,
    pendingCount: 0,
    deployments: [],
  };
}

const otherLock: LockRecord = { service: 'orders', environment: 'prod', releaseId: 'rel-1', executionArn: OTHER_EXECUTION, acquiredAt: '2025-03-01T11:00:00.000Z' };

const newerRelease: LedgerRecord = {
  releaseId: 'rel-3',
  executionArn: `${OTHER_EXECUTION}-3`,
  service: 'orders',
  environment: 'prod',
  imageRepository: 'orders',
  imageDigest: `sha256:${'f'.repeat(64)}`,
  imageUri: 'uri',
  fromColor: 'green',
  toColor: 'blue',
  fromTaskDefinition: 'td',
  requestedBy: 'ecr push orders:v3',
  outcome: 'InProgress',
  startedAt: '2025-03-01T12:00:00.001Z',
};

describe('Function: prepareRelease', () => {
  let fake: ReturnType<typeof fakeAwsPorts>;
  let ports: PrepareReleasePorts;
  let ledgerRecords: LedgerRecord[];
  let ecrTags: Map<string, string>;
  let ecrCalls: { repository: EcrRepositoryLocation; tag: string }[];

  beforeEach(() => {
    fake = fakeAwsPorts();
    ledgerRecords = [];
    ecrTags = new Map();
    ecrCalls = [];
    fake.ports.store.listReleases = async (_environment, _service, limit) => ledgerRecords.slice(0, limit);
    ports = {
      ...fake.ports,
      ecr: {
        findImageDigest: async (repository, tag) => {
          ecrCalls.push({ repository, tag });
          if (repository.repositoryName === 'gone') throw Object.assign(new Error('no such repository'), { name: 'RepositoryNotFoundException' });
          return ecrTags.get(`${repository.repositoryName}:${tag}`);
        },
      },
    };
    fake.aws.parameterValues.set(PARAMETER, JSON.stringify(config));
    fake.aws.rules.set(RULE, {
      ruleArn: RULE,
      targetGroups: [
        { targetGroupArn: BLUE_TG, weight: 0 },
        { targetGroupArn: GREEN_TG, weight: 100 },
      ],
      stickiness: { enabled: true, durationSeconds: 60 },
    });
    fake.aws.services.set('orders-blue', aService('orders-blue', 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:6', 0));
    fake.aws.services.set('orders-green', aService('orders-green', 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:7', 4));
    fake.aws.alarmStates.set('orders-5xx', { alarmName: 'orders-5xx', stateValue: 'OK' });
    fake.aws.alarmStates.set('orders-latency', { alarmName: 'orders-latency', stateValue: 'OK' });
  });

  it('refuses a release into another environment than its control plane, before reading anything', async () => {
    // Act
    const act = prepareRelease(event, ports, NOW, { controlPlaneEnvironment: 'staging' });

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidReleaseInput', message: expect.stringContaining('environment: this control plane releases into staging, not prod') });
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('refuses a strategy whose manual pauses could outlive an execution, and takes no lock', async () => {
    // Prepare
    const manyPauses = { steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: {} }] };
    fake.aws.parameterValues.set(PARAMETER, JSON.stringify({ ...config, strategy: manyPauses, maxManualPauseSeconds: 200 * 86_400 }));

    // Act
    const act = prepareRelease(event, ports, NOW);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidServiceConfig', message: expect.stringContaining('strategy.steps: the release could wait up to') });
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('returns a context with the live colour as stable, the plan and the pinned image', async () => {
    // Act
    const { release } = await prepareRelease(event, ports, NOW);

    // Assess
    expect(release).toEqual({
      releaseId: 'rel-2',
      executionArn: EXECUTION,
      service: 'orders',
      environment: 'prod',
      image: { repository: 'orders', digest: DIGEST, imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@${DIGEST}` },
      requestedBy: 'alice',
      startedAt: '2025-03-01T12:00:00.000Z',
      ledgerSortKey: '2025-03-01T12:00:00.000Z#rel-2',
      cluster: 'main',
      containerName: 'app',
      stable: { color: 'green', serviceName: 'orders-green', targetGroupArn: GREEN_TG, taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:7', desiredCount: 4 },
      idle: { color: 'blue', serviceName: 'orders-blue', targetGroupArn: BLUE_TG, taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:6', desiredCount: 0 },
      productionListenerRuleArn: RULE,
      stickiness: { enabled: true, durationSeconds: 60 },
      alarmNames: ['orders-5xx', 'orders-latency'],
      steps: [{ setWeight: 10 }, { pause: { durationSeconds: 300 } }, { setWeight: 50 }, { pause: { durationSeconds: 600 } }, { setWeight: 100 }],
      plan: [
        { weight: 10, bakeSeconds: 300, manual: false },
        { weight: 50, bakeSeconds: 600, manual: false },
        { weight: 100, bakeSeconds: 300, manual: false },
      ],
      readyTimeoutSeconds: 600,
      maxManualPauseSeconds: 86_400,
    });
  });

  it('takes the lock and opens an InProgress ledger record', async () => {
    // Act
    await prepareRelease(event, ports, NOW);

    // Assess
    expect(fake.calls.acquireLock).toEqual([
      {
        lock: { service: 'orders', environment: 'prod', releaseId: 'rel-2', executionArn: EXECUTION, acquiredAt: NOW.toISOString() },
        ledger: {
          releaseId: 'rel-2',
          executionArn: EXECUTION,
          service: 'orders',
          environment: 'prod',
          imageRepository: 'orders',
          imageDigest: DIGEST,
          imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@${DIGEST}`,
          fromColor: 'green',
          toColor: 'blue',
          fromTaskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:7',
          requestedBy: 'alice',
          outcome: 'InProgress',
          startedAt: '2025-03-01T12:00:00.000Z',
        },
      },
    ]);
  });

  it('plans the steps of the input over those of the configuration', async () => {
    // Prepare
    const override = { ...event, input: { ...(event.input as object), strategy: { steps: [{ setWeight: 50 }, { pause: {} }] } } };

    // Act
    const { release } = await prepareRelease(override, ports, NOW);

    // Assess
    expect(release.plan).toEqual([
      { weight: 50, bakeSeconds: 0, manual: true },
      { weight: 100, bakeSeconds: 300, manual: false },
    ]);
  });

  it('throws InvalidReleaseInput and touches nothing for an invalid input', async () => {
    // Prepare
    const invalid = { ...event, input: { service: 'orders', environment: 'prod', image: { repository: 'orders', digest: 'latest' } } };

    // Act & Assess
    await expect(prepareRelease(invalid, ports, NOW)).rejects.toThrow(InvalidReleaseInput);
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('throws InvalidServiceConfig when the service has no configuration', async () => {
    // Prepare
    fake.aws.parameterValues.clear();

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(`no configuration at ${PARAMETER}`);
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('throws InvalidServiceConfig naming the field of a malformed configuration', async () => {
    // Prepare
    fake.aws.parameterValues.set(PARAMETER, JSON.stringify({ ...config, alarmNames: [] }));

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(/alarmNames/);
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('carries the configured gates into the context so that the state machine runs them', async () => {
    // Prepare
    const gates = {
      migration: { command: ['npm', 'run', 'migrate'], timeoutSeconds: 600 },
      postPromotionMigration: { command: ['npm', 'run', 'contract'], timeoutSeconds: 300, containerName: 'migrator' },
      smokeTests: [{ name: 'health', url: 'https://example.com:8443/health', expectStatus: 200 }],
    };
    fake.aws.parameterValues.set(PARAMETER, JSON.stringify({ ...config, ...gates }));

    // Act
    const { release } = await prepareRelease(event, ports, NOW);

    // Assess
    expect(release).toMatchObject(gates);
  });

  it('throws InvalidServiceConfig naming productionListenerRuleArn when the rule does not exist', async () => {
    // Prepare
    fake.aws.rules.clear();

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(/^productionListenerRuleArn: /);
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('throws TrafficNotSettled when the rule splits traffic', async () => {
    // Prepare
    fake.aws.rules.set(RULE, { ruleArn: RULE, targetGroups: [{ targetGroupArn: BLUE_TG, weight: 50 }, { targetGroupArn: GREEN_TG, weight: 50 }] });

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(TrafficNotSettled);
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('throws InvalidServiceConfig naming the colour whose service is missing', async () => {
    // Prepare
    fake.aws.services.delete('orders-blue');

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(/^blue\.serviceName: no active service orders-blue/);
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('treats an inactive service as missing', async () => {
    // Prepare
    fake.aws.services.set('orders-green', { ...aService('orders-green', 'td', 4), status: 'INACTIVE' });

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(/^green\.serviceName: /);
  });

  it('throws InvalidServiceConfig naming cluster when the cluster does not exist', async () => {
    // Prepare
    fake.aws.state.clusterExists = false;

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(
      expect.objectContaining({ name: 'InvalidServiceConfig', message: 'cluster: main does not exist' }),
    );
  });

  it('throws InvalidServiceConfig when the live colour runs no task', async () => {
    // Prepare
    fake.aws.services.set('orders-green', aService('orders-green', 'td', 0));

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(InvalidServiceConfig);
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('throws InvalidServiceConfig naming the alarms that do not exist', async () => {
    // Prepare
    fake.aws.alarmStates.delete('orders-latency');

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow('alarmNames: no metric or composite alarm named orders-latency');
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('throws ConcurrentReleaseError naming the holder while the holder runs and onBusy is reject', async () => {
    // Prepare
    fake.aws.parameterValues.set(PARAMETER, JSON.stringify({ ...config, onBusy: 'reject' }));
    fake.aws.locks.set('prod#orders', otherLock);
    fake.aws.executionStatuses.set(OTHER_EXECUTION, 'RUNNING');

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(ConcurrentReleaseError);
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(/rel-1 \(execution arn:aws:states:.*:rel-1\)/);
    expect(fake.calls.acquireLock.every((call) => call.takeOverFrom === undefined)).toBe(true);
  });

  it('throws ConcurrentReleaseError while the holder waits for a redrive and onBusy is reject', async () => {
    // Prepare
    fake.aws.parameterValues.set(PARAMETER, JSON.stringify({ ...config, onBusy: 'reject' }));
    fake.aws.locks.set('prod#orders', otherLock);
    fake.aws.executionStatuses.set(OTHER_EXECUTION, 'PENDING_REDRIVE');

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(ConcurrentReleaseError);
  });

  it.each(['ABORTED', 'FAILED', undefined])('takes the lock over from a holder whose execution is %s', async (status) => {
    // Prepare
    fake.aws.locks.set('prod#orders', otherLock);
    if (status !== undefined) fake.aws.executionStatuses.set(OTHER_EXECUTION, status);

    // Act
    await prepareRelease(event, ports, NOW);

    // Assess
    expect(fake.calls.acquireLock.map((call) => call.takeOverFrom)).toEqual([undefined, OTHER_EXECUTION]);
    expect(fake.aws.locks.get('prod#orders')?.executionArn).toBe(EXECUTION);
  });

  it('throws ConcurrentReleaseError when another release takes the lock during the take-over and onBusy is reject', async () => {
    // Prepare
    fake.aws.parameterValues.set(PARAMETER, JSON.stringify({ ...config, onBusy: 'reject' }));
    fake.aws.locks.set('prod#orders', otherLock);
    fake.aws.executionStatuses.set(OTHER_EXECUTION, 'ABORTED');
    const third: LockRecord = { ...otherLock, releaseId: 'rel-3', executionArn: `${OTHER_EXECUTION}-3` };
    const acquire = fake.ports.store.acquireLock;
    fake.ports.store.acquireLock = async (lock, ledger, takeOverFrom) => {
      if (takeOverFrom !== undefined) fake.aws.locks.set('prod#orders', third);
      return acquire(lock, ledger, takeOverFrom);
    };

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(/rel-3/);
  });

  it('succeeds when this execution already holds the lock (a retried Prepare)', async () => {
    // Prepare
    fake.ports.store.acquireLock = async (lock) => ({ acquired: false, holder: lock });

    // Act
    const { release } = await prepareRelease(event, ports, NOW);

    // Assess
    expect(release.releaseId).toBe('rel-2');
  });

  it('throws ReleaseQueued naming the holder while the holder runs and onBusy is the default', async () => {
    // Prepare
    fake.aws.locks.set('prod#orders', otherLock);
    fake.aws.executionStatuses.set(OTHER_EXECUTION, 'RUNNING');

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(ReleaseQueued);
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(/being released by rel-1 .*queued \(onBusy: queue\)/);
    expect(fake.aws.locks.get('prod#orders')).toEqual(otherLock);
    expect(fake.aws.ledger).toHaveLength(0);
  });

  it('throws ReleaseQueued while the running holder splits traffic mid-canary, rather than refusing the split', async () => {
    // Prepare
    fake.aws.locks.set('prod#orders', otherLock);
    fake.aws.executionStatuses.set(OTHER_EXECUTION, 'RUNNING');
    fake.aws.rules.set(RULE, { ruleArn: RULE, targetGroups: [{ targetGroupArn: BLUE_TG, weight: 10 }, { targetGroupArn: GREEN_TG, weight: 90 }] });

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(ReleaseQueued);
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('throws ReleaseQueued when another release takes the lock during the take-over', async () => {
    // Prepare
    fake.aws.locks.set('prod#orders', otherLock);
    fake.aws.executionStatuses.set(OTHER_EXECUTION, 'ABORTED');
    const third: LockRecord = { ...otherLock, releaseId: 'rel-3', executionArn: `${OTHER_EXECUTION}-3` };
    const acquire = fake.ports.store.acquireLock;
    fake.ports.store.acquireLock = async (lock, ledger, takeOverFrom) => {
      if (takeOverFrom !== undefined) fake.aws.locks.set('prod#orders', third);
      return acquire(lock, ledger, takeOverFrom);
    };

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(ReleaseQueued);
  });

  it('throws ReleaseSuperseded without taking the lock when a release requested later is already in the ledger', async () => {
    // Prepare
    ledgerRecords.push(newerRelease);

    // Act & Assess
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(ReleaseSuperseded);
    await expect(prepareRelease(event, ports, NOW)).rejects.toThrow(/release rel-3 .* was requested at 2025-03-01T12:00:00.001Z, after this one/);
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('takes the lock when the newest ledger record was requested before this execution started', async () => {
    // Prepare
    ledgerRecords.push({ ...newerRelease, startedAt: '2025-03-01T11:59:59.999Z', outcome: 'Succeeded' });

    // Act
    await prepareRelease(event, ports, NOW);

    // Assess
    expect(fake.calls.acquireLock).toHaveLength(1);
  });

  it('resolves a tag to its digest in ECR before it reads anything else and pins the release to the digest', async () => {
    // Prepare
    ecrTags.set('orders:v42', DIGEST);
    const tagged = { ...event, input: { service: 'orders', environment: 'prod', image: { repository: 'orders', tag: 'v42' } } };

    // Act
    const { release } = await prepareRelease(tagged, ports, NOW);

    // Assess
    expect(ecrCalls).toEqual([{ repository: { repositoryName: 'orders' }, tag: 'v42' }]);
    expect(release.image).toEqual({ repository: 'orders', digest: DIGEST, imageUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@${DIGEST}` });
    expect(fake.calls.acquireLock[0]?.ledger.imageDigest).toBe(DIGEST);
  });

  it('asks the registry and region of a repository URI in another account', async () => {
    // Prepare
    ecrTags.set('team/orders:v42', DIGEST);
    const repository = '210987654321.dkr.ecr.us-east-1.amazonaws.com/team/orders';
    const tagged = { ...event, input: { service: 'orders', environment: 'prod', image: { repository, tag: 'v42' } } };

    // Act
    const { release } = await prepareRelease(tagged, ports, NOW);

    // Assess
    expect(ecrCalls).toEqual([{ repository: { repositoryName: 'team/orders', registryId: '210987654321', region: 'us-east-1' }, tag: 'v42' }]);
    expect(release.image.imageUri).toBe(`${repository}@${DIGEST}`);
  });

  it('throws InvalidReleaseInput naming image.tag when the tag does not exist, before reading the configuration', async () => {
    // Prepare
    const tagged = { ...event, input: { service: 'orders', environment: 'prod', image: { repository: 'orders', tag: 'v404' } } };
    fake.aws.parameterValues.clear();

    // Act & Assess
    await expect(prepareRelease(tagged, ports, NOW)).rejects.toThrow(
      expect.objectContaining({ name: 'InvalidReleaseInput', message: 'image.tag: orders has no image tagged v404' }),
    );
    expect(fake.calls.acquireLock).toHaveLength(0);
  });

  it('throws InvalidReleaseInput naming image.repository when the repository does not exist', async () => {
    // Prepare
    const tagged = { ...event, input: { service: 'orders', environment: 'prod', image: { repository: 'gone', tag: 'v1' } } };

    // Act & Assess
    await expect(prepareRelease(tagged, ports, NOW)).rejects.toThrow(/^image\.repository: no ECR repository gone$/);
  });

  it('throws InvalidReleaseInput naming image.tag for a tag in a registry that is not ECR', async () => {
    // Prepare
    const tagged = { ...event, input: { service: 'orders', environment: 'prod', image: { repository: 'ghcr.io/acme/orders', tag: 'v1' } } };

    // Act & Assess
    await expect(prepareRelease(tagged, ports, NOW)).rejects.toThrow(/^image\.tag: a tag can be resolved only in an ECR repository/);
    expect(ecrCalls).toHaveLength(0);
  });

  it('throws InvalidReleaseInput naming image when both digest and tag are given', async () => {
    // Prepare
    const both = { ...event, input: { service: 'orders', environment: 'prod', image: { repository: 'orders', digest: DIGEST, tag: 'v1' } } };

    // Act & Assess
    await expect(prepareRelease(both, ports, NOW)).rejects.toThrow('invalid release input: image: must have exactly one of digest and tag');
    expect(ecrCalls).toHaveLength(0);
  });
});
