import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
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
});
