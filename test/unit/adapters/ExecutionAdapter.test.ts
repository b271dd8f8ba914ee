import { DescribeExecutionCommand, SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutionAdapter } from '../../../lambdas/adapters/ExecutionAdapter.ts';

const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:cutover:rel-1';

function awsError(name: string): Error {
  return Object.assign(new Error(`${name} happened`), { name });
}

describe('Class: ExecutionAdapter', () => {
  const sfn = mockClient(SFNClient);
  const adapter = new ExecutionAdapter(new SFNClient({}));

  afterEach(() => {
    sfn.reset();
  });

  describe('Method: describeExecutionStatus', () => {
    it('returns the execution status', async () => {
      // Prepare
      sfn.on(DescribeExecutionCommand, { executionArn: EXECUTION }).resolves({ status: 'RUNNING' });

      // Act
      const status = await adapter.describeExecutionStatus(EXECUTION);

      // Assess
      expect(status).toBe('RUNNING');
    });

    it('returns undefined when the execution does not exist', async () => {
      // Prepare
      sfn.on(DescribeExecutionCommand).rejects(awsError('ExecutionDoesNotExist'));

      // Act
      const status = await adapter.describeExecutionStatus(EXECUTION);

      // Assess
      expect(status).toBeUndefined();
    });

    it('lets other errors through', async () => {
      // Prepare
      sfn.on(DescribeExecutionCommand).rejects(awsError('ThrottlingException'));

      // Act & Assess
      await expect(adapter.describeExecutionStatus(EXECUTION)).rejects.toMatchObject({ name: 'ThrottlingException' });
    });
  });

  describe('Method: startExecution', () => {
    const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:cutover-prod-release';

    it('starts the named execution with the input as JSON', async () => {
      // Prepare
      sfn.on(StartExecutionCommand).resolves({ executionArn: `${EXECUTION}-new`, startDate: new Date() });

      // Act
      const result = await adapter.startExecution(MACHINE, 'web-prod-abc', { service: 'web' });

      // Assess
      expect(result).toEqual({ started: true, executionArn: `${EXECUTION}-new` });
      expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: MACHINE, name: 'web-prod-abc', input: '{"service":"web"}' });
    });

    it('returns "already started" when Step Functions answers an identical request with the running execution', async () => {
      // Prepare
      sfn.on(StartExecutionCommand).resolves({ executionArn: `${EXECUTION}-running`, startDate: new Date(Date.now() - 60_000) });

      // Act
      const result = await adapter.startExecution(MACHINE, 'web-prod-abc', { service: 'web' });

      // Assess
      expect(result).toEqual({ started: false, executionArn: `${EXECUTION}-running` });
    });

    it('returns "already started" with the execution ARN when the name is taken', async () => {
      // Prepare
      sfn.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists'));

      // Act
      const result = await adapter.startExecution(MACHINE, 'web-prod-abc', {});

      // Assess
      expect(result).toEqual({ started: false, executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:cutover-prod-release:web-prod-abc' });
    });

    it('lets other errors through', async () => {
      // Prepare
      sfn.on(StartExecutionCommand).rejects(awsError('ExecutionLimitExceeded'));

      // Act & Assess
      await expect(adapter.startExecution(MACHINE, 'web-prod-abc', {})).rejects.toThrow(expect.objectContaining({ name: 'ExecutionLimitExceeded' }));
    });
  });

  describe('Method: sendTaskFailure', () => {
    it('fails the task with the error and cause', async () => {
      // Prepare
      sfn.on(SendTaskFailureCommand).resolves({});

      // Act
      const sent = await adapter.sendTaskFailure('token-1', 'AlarmFired', 'alarm web-5xx went to ALARM');

      // Assess
      expect(sent).toBe(true);
      expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: 'token-1', error: 'AlarmFired', cause: 'alarm web-5xx went to ALARM' });
    });

    it.each(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken'])('returns false on %s', async (name) => {
      // Prepare
      sfn.on(SendTaskFailureCommand).rejects(awsError(name));

      // Act
      const sent = await adapter.sendTaskFailure('token-1', 'AlarmFired', 'cause');

      // Assess
      expect(sent).toBe(false);
    });

    it('lets other errors through', async () => {
      // Prepare
      sfn.on(SendTaskFailureCommand).rejects(awsError('ThrottlingException'));

      // Act & Assess
      await expect(adapter.sendTaskFailure('token-1', 'AlarmFired', 'cause')).rejects.toMatchObject({ name: 'ThrottlingException' });
    });
  });

  describe('Method: sendTaskSuccess', () => {
    it('succeeds the task with the output as JSON', async () => {
      // Prepare
      sfn.on(SendTaskSuccessCommand).resolves({});

      // Act
      const sent = await adapter.sendTaskSuccess('token-1', { promotedBy: 'alice' });

      // Assess
      expect(sent).toBe(true);
      expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-1', output: '{"promotedBy":"alice"}' });
    });

    it('returns false when the task no longer waits', async () => {
      // Prepare
      sfn.on(SendTaskSuccessCommand).rejects(awsError('TaskTimedOut'));

      // Act
      const sent = await adapter.sendTaskSuccess('token-1', {});

      // Assess
      expect(sent).toBe(false);
    });
  });
});
