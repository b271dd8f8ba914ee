import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlarmAdapter } from '../../lambdas/adapters/AlarmAdapter.ts';
import { EcrAdapter } from '../../lambdas/adapters/EcrAdapter.ts';
import { EcsAdapter } from '../../lambdas/adapters/EcsAdapter.ts';
import { ExecutionAdapter } from '../../lambdas/adapters/ExecutionAdapter.ts';
import { LoadBalancerAdapter } from '../../lambdas/adapters/LoadBalancerAdapter.ts';
import { ParameterAdapter } from '../../lambdas/adapters/ParameterAdapter.ts';
import { ReleaseTable } from '../../lambdas/adapters/ReleaseTable.ts';
import type { BakeTokenRecord, LedgerRecord, LockRecord } from '../../lambdas/domain/ports.ts';
import { taskDefinitionForImage } from '../../lambdas/domain/taskDefinitionForImage.ts';
import { motoBackend, simulatorBackend, type ContractBackend } from './contractBackends.ts';
import { REQUIRE_MOTO_VARIABLE, motoServerAvailable } from './motoServer.ts';

const executionArn = (name: string): string => `arn:aws:states:eu-west-1:123456789012:execution:cutover-prod-release:${name}`;
const lockOf = (service: string, name: string): LockRecord => ({ service, environment: 'prod', releaseId: name, executionArn: executionArn(name), acquiredAt: '2025-06-02T09:00:00.000Z' });
const ledgerOf = (lock: LockRecord): LedgerRecord => ({
  releaseId: lock.releaseId,
  executionArn: lock.executionArn,
  service: lock.service,
  environment: lock.environment,
  imageRepository: 'web',
  imageDigest: `sha256:${'a'.repeat(64)}`,
  imageUri: `web@sha256:${'a'.repeat(64)}`,
  fromColor: 'blue',
  toColor: 'green',
  fromTaskDefinition: 'web:1',
  requestedBy: 'ci',
  outcome: 'InProgress',
  startedAt: lock.acquiredAt,
});

/**
 * The adapter-level contract: the same tests, through the real adapters of lambdas/adapters/, against each backend.
 * Where the simulated account and moto_server disagree on what both implement, the simulator is wrong.
 */
function adapterContract(open: () => Promise<ContractBackend>): void {
  let backend: ContractBackend;

  beforeAll(async () => {
    backend = await open();
  });

  afterAll(async () => {
    await backend.close();
  });

  describe('ParameterAdapter', () => {
    it('reads a parameter and answers undefined for one that does not exist', async () => {
      // Prepare
      const adapter = new ParameterAdapter(backend.clients.ssm);

      // Act
      const value = await adapter.getParameter(backend.fixture.parameterName);
      const missing = await adapter.getParameter('/cutover/prod/services/nothing-here');

      // Assess
      expect(value).toBe(backend.fixture.parameterValue);
      expect(missing).toBeUndefined();
    });

    it('raises ParameterNotFound as a client fault with HTTP 400', async () => {
      // Act
      const act = backend.clients.ssm.send(new GetParameterCommand({ Name: '/cutover/prod/services/nothing-here' }));

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'ParameterNotFound', $fault: 'client', $metadata: expect.objectContaining({ httpStatusCode: 400 }) });
    });
  });

  describe('LoadBalancerAdapter', () => {
    it('reads the weighted forward of the production rule and sets new weights in one call', async () => {
      // Prepare
      const adapter = new LoadBalancerAdapter(backend.clients.elbv2);
      const { blueTargetGroupArn, greenTargetGroupArn, ruleArn } = backend.fixture;
      const before = await adapter.describeRule(ruleArn);

      // Act
      await adapter.setForwardWeights(ruleArn, [{ targetGroupArn: blueTargetGroupArn, weight: 90 }, { targetGroupArn: greenTargetGroupArn, weight: 10 }], before?.stickiness, before?.layout);
      const after = await adapter.describeRule(ruleArn);
      await adapter.setForwardWeights(ruleArn, [{ targetGroupArn: blueTargetGroupArn, weight: 100 }, { targetGroupArn: greenTargetGroupArn, weight: 0 }], before?.stickiness, before?.layout);

      // Assess
      expect(before).toEqual({
        ruleArn,
        targetGroups: [
          { targetGroupArn: blueTargetGroupArn, weight: 100 },
          { targetGroupArn: greenTargetGroupArn, weight: 0 },
        ],
        stickiness: { enabled: false },
      });
      expect(after?.targetGroups).toEqual([
        { targetGroupArn: blueTargetGroupArn, weight: 90 },
        { targetGroupArn: greenTargetGroupArn, weight: 10 },
      ]);
      expect(after?.stickiness).toEqual({ enabled: false });
    });

    it('answers undefined for a rule that does not exist', async () => {
      // Prepare
      const adapter = new LoadBalancerAdapter(backend.clients.elbv2);
      const unknown = backend.fixture.ruleArn.replace(/[0-9a-f]{16}$/, '0123456789abcdef');

      // Act
      const rule = await adapter.describeRule(unknown);

      // Assess
      expect(rule).toBeUndefined();
    });

    it('reports no targets in a target group no task runs in', async () => {
      // Prepare
      const adapter = new LoadBalancerAdapter(backend.clients.elbv2);

      // Act
      const health = await adapter.describeTargetHealth(backend.fixture.greenTargetGroupArn);

      // Assess
      expect(health).toEqual([]);
    });

    it('raises TargetGroupNotFoundException for an unknown target group', async () => {
      // Prepare
      const adapter = new LoadBalancerAdapter(backend.clients.elbv2);
      const unknown = backend.fixture.greenTargetGroupArn.replace(/[0-9a-f]{16}$/, '0123456789abcdef');

      // Act
      const act = adapter.describeTargetHealth(unknown);

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'TargetGroupNotFoundException', $fault: 'client', $metadata: expect.objectContaining({ httpStatusCode: 400 }) });
    });
  });

  describe('EcsAdapter', () => {
    it('describes the services it finds and leaves out the ones ECS reports MISSING', async () => {
      // Prepare
      const adapter = new EcsAdapter(backend.clients.ecs);
      const { cluster, blueService, liveTaskDefinitionArn } = backend.fixture;

      // Act
      const services = await adapter.describeServices(cluster, [blueService, 'nothing-here']);

      // Assess
      expect([...services.keys()]).toEqual([blueService]);
      const blue = services.get(blueService);
      expect(blue).toMatchObject({ serviceName: blueService, status: 'ACTIVE', taskDefinition: liveTaskDefinitionArn, desiredCount: 2 });
      expect(blue?.deployments.filter((deployment) => deployment.status === 'PRIMARY')).toEqual([expect.objectContaining({ taskDefinition: liveTaskDefinitionArn, desiredCount: 2 })]);
    });

    it('raises ClusterNotFoundException for an unknown cluster', async () => {
      // Prepare
      const adapter = new EcsAdapter(backend.clients.ecs);

      // Act
      const act = adapter.describeServices('nothing-here', [backend.fixture.blueService]);

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'ClusterNotFoundException', $fault: 'client' });
    });

    it('registers the next revision of a described task definition and deploys it to the idle service', async () => {
      // Prepare
      const adapter = new EcsAdapter(backend.clients.ecs);
      const { cluster, greenService, liveTaskDefinitionArn } = backend.fixture;
      const live = await adapter.describeTaskDefinition(liveTaskDefinitionArn);
      const imageUri = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:${'d'.repeat(64)}`;

      // Act
      const registered = await adapter.registerTaskDefinition(taskDefinitionForImage(live, 'web', imageUri));
      await adapter.updateService(cluster, greenService, { taskDefinition: registered, desiredCount: 2 });
      const green = (await adapter.describeServices(cluster, [greenService])).get(greenService);
      const described = await adapter.describeTaskDefinition(registered);

      // Assess
      expect(live.tags).toEqual([{ key: 'team', value: 'payments' }]);
      expect(registered).toBe(liveTaskDefinitionArn.replace(/:1$/, ':2'));
      expect(green).toMatchObject({ taskDefinition: registered, desiredCount: 2 });
      // Not compared: the deployments after UpdateService. ECS starts a new PRIMARY deployment (the simulator does);
      // moto_server 5.2.1 keeps the old one, so that is outside the subset both implement.
      const containers = described.taskDefinition.containerDefinitions as { name: string; image: string }[];
      expect(containers.map((container) => [container.name, container.image])).toEqual([
        ['web', imageUri],
        ['log-router', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable'],
      ]);
      expect(described.tags).toEqual([{ key: 'team', value: 'payments' }]);
    });

    it('raises ServiceNotFoundException when updating an unknown service', async () => {
      // Prepare
      const adapter = new EcsAdapter(backend.clients.ecs);

      // Act
      const act = adapter.updateService(backend.fixture.cluster, 'nothing-here', { desiredCount: 1 });

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'ServiceNotFoundException', $fault: 'client', $metadata: expect.objectContaining({ httpStatusCode: 400 }) });
    });

    it('raises ClientException for a task definition that does not exist', async () => {
      // Prepare
      const adapter = new EcsAdapter(backend.clients.ecs);

      // Act
      const act = adapter.describeTaskDefinition('nothing-here:7');

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'ClientException', $fault: 'client' });
    });
  });

  describe('AlarmAdapter', () => {
    it('reports an alarm set to ALARM with its reason and leaves out names that do not exist', async () => {
      // Prepare
      const adapter = new AlarmAdapter(backend.clients.cloudwatch);
      const [firing = '', other = ''] = backend.fixture.alarmNames;
      await backend.clients.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: firing, StateValue: 'ALARM', StateReason: 'contract test' }));

      // Act
      const alarms = await adapter.describeAlarms([firing, other, 'nothing-here']);

      // Assess
      expect(alarms.map((alarm) => alarm.alarmName).sort()).toEqual([firing, other].sort());
      expect(alarms.find((alarm) => alarm.alarmName === firing)).toEqual({ alarmName: firing, stateValue: 'ALARM', stateReason: 'contract test' });
    });

    it('raises ResourceNotFound with HTTP 404 when setting the state of an unknown alarm', async () => {
      // Act
      const act = backend.clients.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'nothing-here', StateValue: 'ALARM', StateReason: 'contract test' }));

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'ResourceNotFound', $fault: 'client', $metadata: expect.objectContaining({ httpStatusCode: 404 }) });
    });
  });

  describe('ReleaseTable', () => {
    const table = (): ReleaseTable => new ReleaseTable(DynamoDBDocumentClient.from(backend.clients.dynamodb), backend.fixture.tableName);

    it('takes a free lock with its ledger record and refuses it to another execution, naming the holder', async () => {
      // Prepare
      const first = lockOf('lock-service', 'first');
      const second = lockOf('lock-service', 'second');

      // Act
      const taken = await table().acquireLock(first, ledgerOf(first));
      const again = await table().acquireLock(first, ledgerOf(first));
      const refused = await table().acquireLock(second, ledgerOf(second));

      // Assess
      expect(taken).toEqual({ acquired: true });
      expect(again).toEqual({ acquired: true });
      expect(refused).toEqual({ acquired: false, holder: first });
      expect(await table().getLock('prod', 'lock-service')).toEqual(first);
    });

    it('takes over a lock only from the named holder', async () => {
      // Prepare
      const stale = lockOf('takeover-service', 'stale');
      const next = lockOf('takeover-service', 'next');
      await table().acquireLock(stale, ledgerOf(stale));

      // Act
      const wrongHolder = await table().acquireLock(next, ledgerOf(next), executionArn('someone-else'));
      const takenOver = await table().acquireLock(next, ledgerOf(next), stale.executionArn);

      // Assess
      expect(wrongHolder).toEqual({ acquired: false, holder: stale });
      expect(takenOver).toEqual({ acquired: true });
      expect(await table().getLock('prod', 'takeover-service')).toEqual(next);
    });

    it('completes a release: sets the outcome, frees the lock and lists it newest first', async () => {
      // Prepare
      const older = { ...lockOf('ledger-service', 'older'), acquiredAt: '2025-06-01T09:00:00.000Z' };
      await table().acquireLock(older, ledgerOf(older));
      await table().completeRelease({ environment: 'prod', service: 'ledger-service', ledgerSortKey: `${older.acquiredAt}#older`, executionArn: older.executionArn, releaseId: 'older', outcome: 'Succeeded', endedAt: '2025-06-01T09:30:00.000Z' });
      const newer = lockOf('ledger-service', 'newer');
      await table().acquireLock(newer, ledgerOf(newer));

      // Act
      await table().completeRelease({
        environment: 'prod',
        service: 'ledger-service',
        ledgerSortKey: `${newer.acquiredAt}#newer`,
        executionArn: newer.executionArn,
        releaseId: 'newer',
        outcome: 'RolledBack',
        cause: 'AlarmFired: web-5xx',
        endedAt: '2025-06-02T09:20:00.000Z',
        toTaskDefinition: 'web:2',
      });

      // Assess
      expect(await table().getLock('prod', 'ledger-service')).toBeUndefined();
      const releases = await table().listReleases('prod', 'ledger-service', 10);
      expect(releases.map((release) => [release.releaseId, release.outcome])).toEqual([
        ['newer', 'RolledBack'],
        ['older', 'Succeeded'],
      ]);
      expect(releases[0]).toMatchObject({ cause: 'AlarmFired: web-5xx', toTaskDefinition: 'web:2', endedAt: '2025-06-02T09:20:00.000Z' });
      expect(await table().listReleases('prod', 'ledger-service', 1)).toHaveLength(1);
    });

    it('refuses to complete a release whose ledger record does not exist', async () => {
      // Act
      const act = table().completeRelease({ environment: 'prod', service: 'ghost-service', ledgerSortKey: 'x#ghost', executionArn: executionArn('ghost'), releaseId: 'ghost', outcome: 'Failed', endedAt: '2025-06-02T09:00:00.000Z' });

      // Assess
      await expect(act).rejects.toThrow(/ledger record RELEASE#prod#ghost-service \/ x#ghost does not exist/);
    });

    it('registers a bake under each alarm and as the current bake, and deletes one registration', async () => {
      // Prepare
      const token: BakeTokenRecord = {
        service: 'bake-service',
        environment: 'prod',
        releaseId: 'baking',
        executionArn: executionArn('baking'),
        stepIndex: 0,
        weight: 10,
        manual: false,
        taskToken: 'token-1',
        startedAt: '2025-06-02T09:00:00.000Z',
        endsAt: '2025-06-02T09:05:00.000Z',
      };

      // Act
      await table().registerBake(token, ['bake-5xx', 'bake-latency', 'bake-5xx'], 86_400);
      const before = await table().bakesForAlarm('bake-5xx');
      await table().deleteAlarmRegistration('bake-5xx', 'TOKEN#baking#0');

      // Assess
      expect(before).toEqual([{ ...token, sk: 'TOKEN#baking#0' }]);
      expect(await table().bakesForAlarm('bake-5xx')).toEqual([]);
      expect(await table().bakesForAlarm('bake-latency')).toEqual([{ ...token, sk: 'TOKEN#baking#0' }]);
      expect(await table().getCurrentBake('prod', 'bake-service')).toEqual(token);
    });
  });

  describe('ExecutionAdapter', () => {
    it('answers undefined for an execution that does not exist', async () => {
      // Prepare
      const adapter = new ExecutionAdapter(backend.clients.sfn);

      // Act
      const status = await adapter.describeExecutionStatus(executionArn('never-started'));

      // Assess
      expect(status).toBeUndefined();
    });
  });

  describe('EcrAdapter', () => {
    it('resolves a tag to its digest and answers undefined for a tag that does not exist', async () => {
      // Prepare
      const adapter = new EcrAdapter(backend.clients.ecr);
      const { repositoryName, tag, digest } = backend.fixture;

      // Act
      const found = await adapter.findImageDigest({ repositoryName }, tag);
      const missing = await adapter.findImageDigest({ repositoryName }, 'no-such-tag');

      // Assess
      expect(found).toBe(digest);
      expect(missing).toBeUndefined();
    });

    it('raises RepositoryNotFoundException for a repository that does not exist', async () => {
      // Prepare
      const adapter = new EcrAdapter(backend.clients.ecr);

      // Act
      const act = adapter.findImageDigest({ repositoryName: 'nothing-here' }, 'v2');

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'RepositoryNotFoundException', $fault: 'client', $metadata: expect.objectContaining({ httpStatusCode: 400 }) });
    });
  });
}

describe('Contract: the adapters against the simulated account', () => {
  adapterContract(() => Promise.resolve(simulatorBackend()));
});

const motoRequired = process.env[REQUIRE_MOTO_VARIABLE] === '1';
if (motoServerAvailable()) {
  describe('Contract: the adapters against moto_server', () => {
    adapterContract(motoBackend);
  });
} else if (motoRequired) {
  describe('Contract: the adapters against moto_server', () => {
    it('runs, because CI requires it', () => {
      // Assess
      expect.fail(`moto_server is not on PATH, and ${REQUIRE_MOTO_VARIABLE}=1 requires the contract tests against it`);
    });
  });
} else {
  console.warn(`The contract tests against moto_server were not run: moto_server is not on PATH (set ${REQUIRE_MOTO_VARIABLE}=1 to make that a failure).`);
}
