import { ElasticLoadBalancingV2Client, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler } = await import('../../../lambdas/handlers/shiftTraffic.ts');

describe('Function: handler (shiftTraffic)', () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);

  afterEach(() => {
    elb.reset();
  });

  it('sets the next phase weights with one ModifyRule and returns the step', async () => {
    // Prepare
    elb.on(ModifyRuleCommand).resolves({});
    const state = releaseStateFixture({ step: { nextIndex: 0 } });

    // Act
    const step = await handler(state, lambdaContextFixture());

    // Assess
    expect(step).toMatchObject({ index: 0, weight: 10, timeoutSeconds: 300, nextIndex: 1, last: false });
    expect(elb).toHaveReceivedCommandTimes(ModifyRuleCommand, 1);
    expect(elb).toHaveReceivedCommandWith(ModifyRuleCommand, {
      RuleArn: state.release.productionListenerRuleArn,
      Actions: [
        { Type: 'authenticate-oidc', Order: 1 },
        {
          Type: 'forward',
          Order: 2,
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: state.release.stable.targetGroupArn, Weight: 90 },
              { TargetGroupArn: state.release.idle.targetGroupArn, Weight: 10 },
            ],
            TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 },
          },
        },
      ],
    });
  });
});
