import {
  ClusterNotFoundException,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { EcsAdapter } from '../../../lambdas/adapters/EcsAdapter.ts';

const TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:7';

describe('Class: EcsAdapter', () => {
  const ecs = mockClient(ECSClient);
  const adapter = new EcsAdapter(new ECSClient({}));

  afterEach(() => {
    ecs.reset();
  });

  describe('Method: describeServices', () => {
    it('maps the services found by name and leaves out the missing ones', async () => {
      // Prepare
      ecs.on(DescribeServicesCommand, { cluster: 'main', services: ['orders-blue', 'orders-green'] }).resolves({
        services: [
          {
            serviceName: 'orders-blue',
            serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/main/orders-blue',
            status: 'ACTIVE',
            taskDefinition: TD,
            desiredCount: 2,
            runningCount: 2,
            pendingCount: 0,
            deployments: [
              { id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: TD, desiredCount: 2, runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED', rolloutStateReason: 'done' },
            ],
          },
        ],
        failures: [{ arn: 'arn:aws:ecs:eu-west-1:123456789012:service/main/orders-green', reason: 'MISSING' }],
      });

      // Act
      const services = await adapter.describeServices('main', ['orders-blue', 'orders-green']);

      // Assess
      expect([...services.keys()]).toEqual(['orders-blue']);
      expect(services.get('orders-blue')).toEqual({
        serviceName: 'orders-blue',
        serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/main/orders-blue',
        status: 'ACTIVE',
        taskDefinition: TD,
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        deployments: [
          { id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: TD, desiredCount: 2, runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED', rolloutStateReason: 'done' },
        ],
      });
    });

    it('asks for at most 10 services per call', async () => {
      // Prepare
      ecs.on(DescribeServicesCommand).resolves({ services: [] });
      const names = Array.from({ length: 12 }, (_, index) => `svc-${index}`);

      // Act
      await adapter.describeServices('main', names);

      // Assess
      expect(ecs).toHaveReceivedCommandTimes(DescribeServicesCommand, 2);
      expect(ecs).toHaveReceivedNthCommandWith(DescribeServicesCommand, 2, { cluster: 'main', services: ['svc-10', 'svc-11'] });
    });

    it('lets ClusterNotFoundException through', async () => {
      // Prepare
      ecs.on(DescribeServicesCommand).rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }));

      // Act & Assess
      await expect(adapter.describeServices('gone', ['orders-blue'])).rejects.toThrow(expect.objectContaining({ name: 'ClusterNotFoundException' }));
    });
  });

  describe('Method: describeTaskDefinition', () => {
    it('returns the task definition with its tags', async () => {
      // Prepare
      ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: TD, include: ['TAGS'] }).resolves({
        taskDefinition: { taskDefinitionArn: TD, family: 'orders' },
        tags: [{ key: 'team', value: 'payments' }],
      });

      // Act
      const record = await adapter.describeTaskDefinition(TD);

      // Assess
      expect(record).toEqual({ taskDefinition: { taskDefinitionArn: TD, family: 'orders' }, tags: [{ key: 'team', value: 'payments' }] });
    });
  });

  describe('Method: registerTaskDefinition', () => {
    it('sends the request as is and returns the new revision ARN', async () => {
      // Prepare
      ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: `${TD.slice(0, -1)}8` } });
      const request = { family: 'orders', containerDefinitions: [{ name: 'app', image: 'img@sha256:x' }] };

      // Act
      const arn = await adapter.registerTaskDefinition(request);

      // Assess
      expect(arn).toBe('arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:8');
      expect(ecs).toHaveReceivedCommandWith(RegisterTaskDefinitionCommand, request);
    });
  });

  describe('Method: updateService', () => {
    it('sets the task definition and desired count', async () => {
      // Prepare
      ecs.on(UpdateServiceCommand).resolves({});

      // Act
      await adapter.updateService('main', 'orders-green', { taskDefinition: TD, desiredCount: 3 });

      // Assess
      expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: 'main', service: 'orders-green', taskDefinition: TD, desiredCount: 3 });
    });

    it('leaves the task definition alone when none is given', async () => {
      // Prepare
      ecs.on(UpdateServiceCommand).resolves({});

      // Act
      await adapter.updateService('main', 'orders-blue', { desiredCount: 0 });

      // Assess
      const input = ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input;
      expect(input).toEqual({ cluster: 'main', service: 'orders-blue', desiredCount: 0 });
    });
  });
});
