import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

process.env.TABLE_NAME = 'cutover-table';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler } = await import('../../../lambdas/handlers/failRelease.ts');

describe('Function: handler (failRelease)', () => {
  const ddb = mockClient(DynamoDBDocumentClient);

  afterEach(() => {
    ddb.reset();
  });

  it('records the outcome Failed and returns the error and cause for the Fail state', async () => {
    // Prepare
    const state = releaseStateFixture({
      build: undefined,
      error: { Error: 'InvalidServiceConfig', Cause: JSON.stringify({ errorType: 'InvalidServiceConfig', errorMessage: 'container app not found' }) },
    });
    ddb.on(GetCommand, { Key: { pk: 'LOCK#prod#web', sk: 'LOCK' } }).resolves({ Item: { executionArn: state.release.executionArn } });
    ddb.on(GetCommand, { Key: { pk: 'BAKE#prod#web', sk: 'CURRENT' } }).resolves({});
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const result = await handler(state, lambdaContextFixture());

    // Assess
    expect(result).toEqual({ error: 'InvalidServiceConfig', cause: 'InvalidServiceConfig: container app not found' });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items?.[0]?.Update?.ExpressionAttributeValues).toMatchObject({ ':outcome': 'Failed', ':cause': 'InvalidServiceConfig: container app not found' });
    expect(items?.[1]?.Delete?.Key).toEqual({ pk: 'LOCK#prod#web', sk: 'LOCK' });
  });
});
