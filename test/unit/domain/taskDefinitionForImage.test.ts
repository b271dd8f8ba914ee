import { describe, expect, it } from 'vitest';
import { InvalidServiceConfig } from '../../../lambdas/domain/errors.ts';
import type { TaskDefinitionRecord } from '../../../lambdas/domain/ports.ts';
import { taskDefinitionForImage } from '../../../lambdas/domain/taskDefinitionForImage.ts';

const NEW_IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@sha256:${'c'.repeat(64)}`;

function aRecord(tags?: TaskDefinitionRecord['tags']): TaskDefinitionRecord {
  return {
    taskDefinition: {
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:7',
      family: 'orders',
      revision: 7,
      status: 'ACTIVE',
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: '2025-01-01T00:00:00.000Z',
      registeredBy: 'arn:aws:iam::123456789012:role/deployer',
      deregisteredAt: '2025-01-02T00:00:00.000Z',
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      requiresCompatibilities: ['FARGATE'],
      executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
      containerDefinitions: [
        { name: 'app', image: 'orders:latest', essential: true, portMappings: [{ containerPort: 8080 }] },
        { name: 'sidecar', image: 'envoy:1.30' },
      ],
    },
    ...(tags === undefined ? {} : { tags }),
  };
}

describe('Function: taskDefinitionForImage', () => {
  it('drops the read-only fields and keeps every other field', () => {
    // Act
    const request = taskDefinitionForImage(aRecord(), 'app', NEW_IMAGE);

    // Assess
    expect(Object.keys(request).sort()).toEqual(
      ['containerDefinitions', 'cpu', 'executionRoleArn', 'family', 'memory', 'networkMode', 'requiresCompatibilities'].sort(),
    );
    expect(request.family).toBe('orders');
  });

  it('replaces the image of the named container only', () => {
    // Act
    const request = taskDefinitionForImage(aRecord(), 'app', NEW_IMAGE);

    // Assess
    expect(request.containerDefinitions).toEqual([
      { name: 'app', image: NEW_IMAGE, essential: true, portMappings: [{ containerPort: 8080 }] },
      { name: 'sidecar', image: 'envoy:1.30' },
    ]);
  });

  it('leaves the record it was given unchanged', () => {
    // Prepare
    const record = aRecord();
    const before = structuredClone(record);

    // Act
    taskDefinitionForImage(record, 'app', NEW_IMAGE);

    // Assess
    expect(record).toEqual(before);
  });

  it('carries the tags over', () => {
    // Act
    const request = taskDefinitionForImage(aRecord([{ key: 'team', value: 'payments' }]), 'app', NEW_IMAGE);

    // Assess
    expect(request.tags).toEqual([{ key: 'team', value: 'payments' }]);
  });

  it('omits an empty tag list', () => {
    // Act
    const request = taskDefinitionForImage(aRecord([]), 'app', NEW_IMAGE);

    // Assess
    expect(request).not.toHaveProperty('tags');
  });

  it('throws InvalidServiceConfig naming containerName when the container is absent', () => {
    // Act & Assess
    expect(() => taskDefinitionForImage(aRecord(), 'web', NEW_IMAGE)).toThrow(InvalidServiceConfig);
    expect(() => taskDefinitionForImage(aRecord(), 'web', NEW_IMAGE)).toThrow(/^containerName: web is not a container of orders$/);
  });
});
