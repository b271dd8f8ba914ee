import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

process.env.TABLE_NAME = 'cutover-table';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler } = await import('../../../lambdas/handlers/finalize.ts');

describe('Function: handler (finalize)', () => {
  const ecs = mockClient(ECSClient);
  const ddb = mockClient(DynamoDBDocumentClient);

  afterEach(() => {
    ecs.reset();
    ddb.reset();
  });

  it('scales the old colour to 0 and records the success with the new task definition', async () => {
    // Prepare
    const state = releaseStateFixture();
    ecs.on(UpdateServiceCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const result = await handler(state, lambdaContextFixture());

    // Assess
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: 'prod-cluster', service: 'web-blue', desiredCount: 0 });
    const update = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
    expect(update?.Key).toEqual({ pk: 'RELEASE#prod#web', sk: state.release.ledgerSortKey });
    expect(update?.ExpressionAttributeValues).toMatchObject({ ':outcome': 'Succeeded', ':toTaskDefinition': state.build?.taskDefinitionArn });
    expect(result).toMatchObject({ outcome: 'Succeeded', liveColor: 'green', previousColor: 'blue' });
  });
});
