import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { LocalRunner } from '../../sandbox/localRunner.ts';

describe('Class: SimulatedLambda', () => {
  const account = new SimulatedAccount();
  const client = new LambdaClient({ region: 'eu-west-1' });
  const seen: unknown[] = [];

  beforeAll(() => {
    account.install();
  });

  afterAll(() => {
    account.uninstall();
  });

  beforeEach(() => {
    account.reset();
    seen.length = 0;
    account.lambda.registerFunction({
      functionName: 'worker',
      handler: async (event) => {
        seen.push({ event, flag: process.env.WORKER_FLAG });
        return 'done';
      },
      environment: { WORKER_FLAG: 'on' },
    });
  });

  describe('Method: Invoke', () => {
    it('answers 202 at once and runs the function later, with its own environment', async () => {
      // Prepare
      const runner = new LocalRunner({ account });
      let status: number | undefined;
      let seenAtAnswer = -1;

      // Act
      await runner.runTriggered(async () => {
        const output = await client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:worker', InvocationType: 'Event', Payload: new TextEncoder().encode('{"a":1}') }));
        status = output.StatusCode;
        seenAtAnswer = seen.length;
      });

      // Assess
      expect(status).toBe(202);
      expect(seenAtAnswer).toBe(0);
      expect(seen).toEqual([{ event: { a: 1 }, flag: 'on' }]);
      expect(account.asyncInvocations).toEqual([expect.objectContaining({ functionName: 'worker', result: 'done' })]);
      expect(process.env.WORKER_FLAG).toBeUndefined();
    });

    it('refuses a function that does not exist with ResourceNotFoundException', async () => {
      // Act
      const act = client.send(new InvokeCommand({ FunctionName: 'nobody', InvocationType: 'Event', Payload: new TextEncoder().encode('{}') }));

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    });

    it('refuses a payload that is not JSON with InvalidRequestContentException', async () => {
      // Act
      const act = client.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: new TextEncoder().encode('not json') }));

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
      expect(account.asyncInvocations).toEqual([]);
    });
  });
});
