import { ECSClient, ListTasksCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { EcsAdapter } from '../../../lambdas/adapters/EcsAdapter.ts';

describe('Class: EcsAdapter (one-off tasks)', () => {
  const ecs = mockClient(ECSClient);
  const adapter = new EcsAdapter(new ECSClient({}));
  const request = { cluster: 'main', taskDefinitionArn: 'td:2', containerName: 'web', command: ['migrate'], startedBy: 'cutover-migration-r1', launch: { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] } };

  afterEach(() => {
    ecs.reset();
  });

  describe('Method: runTask', () => {
    it('reports the failures of a task ECS could not place', async () => {
      // Prepare
      ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ arn: 'arn:ci', reason: 'RESOURCE:MEMORY' }] });

      // Act
      const result = await adapter.runTask(request);

      // Assess
      expect(result).toEqual({ failure: 'RESOURCE:MEMORY arn:ci' });
      expect(ecs).toHaveReceivedCommandWith(RunTaskCommand, { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }], count: 1 });
      expect(ecs.commandCalls(RunTaskCommand)[0]?.args[0].input).not.toHaveProperty('launchType');
    });
  });

  describe('Method: listRunningTasks', () => {
    it('follows every page of running tasks started by the run', async () => {
      // Prepare
      ecs.on(ListTasksCommand).resolvesOnce({ taskArns: ['t1'], nextToken: 'n' }).resolvesOnce({ taskArns: ['t2'] });

      // Act
      const tasks = await adapter.listRunningTasks('main', 'cutover-migration-r1');

      // Assess
      expect(tasks).toEqual(['t1', 't2']);
      expect(ecs).toHaveReceivedCommandWith(ListTasksCommand, { cluster: 'main', startedBy: 'cutover-migration-r1', desiredStatus: 'RUNNING', nextToken: 'n' });
    });
  });

  describe('Method: stopTask', () => {
    it('treats a task that is already gone as stopped', async () => {
      // Prepare
      ecs.on(StopTaskCommand).rejects(Object.assign(new Error('The referenced task was not found.'), { name: 'InvalidParameterException' }));

      // Act & Assess
      await expect(adapter.stopTask('main', 't1', 'timeout')).resolves.toBeUndefined();
    });
  });
});
