import { GetParameterCommand, GetParametersByPathCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParameterAdapter } from '../../../lambdas/adapters/ParameterAdapter.ts';

describe('Class: ParameterAdapter', () => {
  const ssm = mockClient(SSMClient);
  const adapter = new ParameterAdapter(new SSMClient({}));

  afterEach(() => {
    ssm.reset();
  });

  describe('Method: getParameter', () => {
    it('returns the decrypted value', async () => {
      // Prepare
      ssm.on(GetParameterCommand, { Name: '/cutover/prod/services/orders', WithDecryption: true }).resolves({ Parameter: { Value: '{"cluster":"main"}' } });

      // Act
      const value = await adapter.getParameter('/cutover/prod/services/orders');

      // Assess
      expect(value).toBe('{"cluster":"main"}');
    });

    it('returns undefined when the parameter does not exist', async () => {
      // Prepare
      ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));

      // Act
      const value = await adapter.getParameter('/cutover/prod/services/nope');

      // Assess
      expect(value).toBeUndefined();
    });

    it('lets other errors through', async () => {
      // Prepare
      ssm.on(GetParameterCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

      // Act & Assess
      await expect(adapter.getParameter('/cutover/prod/services/orders')).rejects.toThrow(expect.objectContaining({ name: 'AccessDeniedException' }));
    });
  });

  describe('Method: getParametersByPath', () => {
    it('returns every page of the path by full name, decrypted and not recursive', async () => {
      // Prepare
      ssm
        .on(GetParametersByPathCommand, { Path: '/cutover/dev/services' })
        .resolvesOnce({ Parameters: [{ Name: '/cutover/dev/services/web', Value: '{"a":1}' }], NextToken: 'page-2' })
        .resolvesOnce({ Parameters: [{ Name: '/cutover/dev/services/api', Value: '{"b":2}' }] });

      // Act
      const values = await new ParameterAdapter(new SSMClient({})).getParametersByPath('/cutover/dev/services');

      // Assess
      expect([...values]).toEqual([
        ['/cutover/dev/services/web', '{"a":1}'],
        ['/cutover/dev/services/api', '{"b":2}'],
      ]);
      expect(ssm).toHaveReceivedCommandWith(GetParametersByPathCommand, { Path: '/cutover/dev/services', Recursive: false, WithDecryption: true });
    });

    it('caches a path for listMaxAgeSeconds, then reads it again', async () => {
      // Prepare
      vi.useFakeTimers({ now: new Date('2025-03-01T12:00:00Z'), toFake: ['Date'] });
      ssm.on(GetParametersByPathCommand).resolves({ Parameters: [{ Name: '/cutover/dev/services/web', Value: '{}' }] });
      const cached = new ParameterAdapter(new SSMClient({}), { listMaxAgeSeconds: 30 });

      // Act
      await cached.getParametersByPath('/cutover/dev/services');
      vi.setSystemTime(new Date('2025-03-01T12:00:29Z'));
      await cached.getParametersByPath('/cutover/dev/services');
      const callsWithinAge = ssm.commandCalls(GetParametersByPathCommand).length;
      vi.setSystemTime(new Date('2025-03-01T12:00:31Z'));
      await cached.getParametersByPath('/cutover/dev/services');
      vi.useRealTimers();

      // Assess
      expect(callsWithinAge).toBe(1);
      expect(ssm).toHaveReceivedCommandTimes(GetParametersByPathCommand, 2);
    });
  });
});
