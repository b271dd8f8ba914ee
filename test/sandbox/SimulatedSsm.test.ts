import { GetParameterCommand, GetParametersByPathCommand, SSMClient, paginateGetParametersByPath } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ParameterAdapter } from '../../lambdas/adapters/ParameterAdapter.ts';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';

describe('Class: SimulatedSsm', () => {
  const account = new SimulatedAccount();
  const client = new SSMClient({ region: 'eu-west-1' });

  beforeAll(() => {
    account.install();
  });

  afterAll(() => {
    account.uninstall();
  });

  beforeEach(() => {
    account.reset();
  });

  describe('Method: GetParametersByPath', () => {
    it('lists only the direct children of the path unless Recursive is true', async () => {
      // Prepare
      account.ssm.seedParameter('/cutover/prod/services/web', 'w');
      account.ssm.seedParameter('/cutover/prod/services/api', 'a');
      account.ssm.seedParameter('/cutover/prod/services/api/extra', 'x');
      account.ssm.seedParameter('/cutover/prod/servicesX', 'not under the path');
      account.ssm.seedParameter('/cutover/staging/services/web', 'other environment');

      // Act
      const direct = await client.send(new GetParametersByPathCommand({ Path: '/cutover/prod/services' }));
      const recursive = await client.send(new GetParametersByPathCommand({ Path: '/cutover/prod/services/', Recursive: true }));

      // Assess
      expect(direct.Parameters?.map((parameter) => parameter.Name)).toEqual(['/cutover/prod/services/api', '/cutover/prod/services/web']);
      expect(recursive.Parameters?.map((parameter) => parameter.Name)).toEqual(['/cutover/prod/services/api', '/cutover/prod/services/api/extra', '/cutover/prod/services/web']);
      expect(direct.NextToken).toBeUndefined();
    });

    it('pages by MaxResults (at most 10) with a NextToken that only the same request accepts', async () => {
      // Prepare
      for (let index = 0; index < 23; index++) account.ssm.seedParameter(`/p/${String(index).padStart(2, '0')}`, String(index));

      // Act
      const pages = [];
      for await (const page of paginateGetParametersByPath({ client }, { Path: '/p' })) pages.push(page);
      const first = await client.send(new GetParametersByPathCommand({ Path: '/p', MaxResults: 5 }));
      const foreign = client.send(new GetParametersByPathCommand({ Path: '/p', Recursive: true, NextToken: first.NextToken }));
      const tooMany = client.send(new GetParametersByPathCommand({ Path: '/p', MaxResults: 11 }));

      // Assess
      expect(pages.map((page) => page.Parameters?.length)).toEqual([10, 10, 3]);
      expect(pages.flatMap((page) => page.Parameters ?? []).map((parameter) => parameter.Value)).toEqual(Array.from({ length: 23 }, (_, index) => String(index)));
      expect(first.Parameters).toHaveLength(5);
      await expect(foreign).rejects.toMatchObject({ name: 'InvalidNextToken' });
      await expect(tooMany).rejects.toMatchObject({ name: 'ValidationException' });
    });

    it('returns a SecureString decrypted only with WithDecryption, like GetParameter', async () => {
      // Prepare
      account.ssm.seedParameter('/secrets/token', 's3cr3t', 'SecureString');

      // Act
      const encrypted = await client.send(new GetParametersByPathCommand({ Path: '/secrets' }));
      const decrypted = await client.send(new GetParametersByPathCommand({ Path: '/secrets', WithDecryption: true }));
      const single = await client.send(new GetParameterCommand({ Name: '/secrets/token' }));

      // Assess
      expect(encrypted.Parameters?.[0]).toMatchObject({ Name: '/secrets/token', Type: 'SecureString' });
      expect(encrypted.Parameters?.[0]?.Value).not.toBe('s3cr3t');
      expect(decrypted.Parameters?.[0]?.Value).toBe('s3cr3t');
      expect(single.Parameter?.Value).not.toBe('s3cr3t');
    });

    it('refuses a path that does not start with a slash', async () => {
      // Act
      const listing = client.send(new GetParametersByPathCommand({ Path: 'cutover/prod' }));

      // Assess
      await expect(listing).rejects.toMatchObject({ name: 'ValidationException' });
    });

    it('answers the Powertools SSMProvider of the ParameterAdapter with every service of the path', async () => {
      // Prepare
      for (let index = 0; index < 12; index++) account.ssm.seedParameter(`/cutover/dev/services/svc-${String(index).padStart(2, '0')}`, `{"n":${index}}`, 'SecureString');
      const adapter = new ParameterAdapter(client, { listMaxAgeSeconds: 0 });

      // Act
      const listed = await adapter.getParametersByPath('/cutover/dev/services');

      // Assess
      expect(listed.size).toBe(12);
      expect(listed.get('/cutover/dev/services/svc-11')).toBe('{"n":11}');
      expect(account.calls('GetParametersByPath').map((call) => [call.input.WithDecryption, call.input.Recursive, call.input.NextToken === undefined])).toEqual([
        [true, false, true],
        [true, false, false],
      ]);
    });
  });
});
