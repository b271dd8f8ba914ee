import { describe, expect, it } from 'vitest';
import { decideSlackCommand, decideSlackInteraction, SlackButton, type SlackDecisionContext } from '../../../lambdas/domain/decideSlackRequest.ts';

const RESPONSE_URL = 'https://hooks.slack.com/actions/T1/42/abc';
const context: SlackDecisionContext = { environment: 'prod', allowList: { users: ['UALLOWED'] } };
const release = { service: 'web', environment: 'prod', releaseId: 'web-prod-abc' };
const click = (actionId: string, userId: string, value: object = release): string =>
  new URLSearchParams({
    payload: JSON.stringify({ type: 'block_actions', user: { id: userId, username: 'alice' }, response_url: RESPONSE_URL, actions: [{ action_id: actionId, value: JSON.stringify(value) }] }),
  }).toString();

describe('Function: decideSlackInteraction', () => {
  it.each([
    [SlackButton.Approve, 'approve'],
    [SlackButton.Reject, 'reject'],
  ])('hands an allowed user\'s %s click to the worker as %s work on exactly the release of the message', (actionId, action) => {
    // Act
    const decision = decideSlackInteraction(click(actionId, 'UALLOWED'), context);

    // Assess
    expect(decision.reply).toBeUndefined();
    expect(decision.work).toEqual({ kind: 'act', action, service: 'web', environment: 'prod', actor: { userId: 'UALLOWED', userName: 'alice' }, responseUrl: RESPONSE_URL, releaseId: 'web-prod-abc' });
  });

  it('queues only a refusal for an Approve click from a user who is not on the allow-list', () => {
    // Act
    const decision = decideSlackInteraction(click(SlackButton.Approve, 'UOTHER'), context);

    // Assess
    expect(decision.work).toEqual({ kind: 'reply', responseUrl: RESPONSE_URL, text: 'You are not allowed to approve web in prod. Ask an operator to add you to the allow-list.' });
    expect(decision.refused).toEqual({ userId: 'UOTHER', action: 'approve', service: 'web', environment: 'prod' });
  });

  it('ignores an Approve click for another environment', () => {
    // Act
    const decision = decideSlackInteraction(click(SlackButton.Approve, 'UALLOWED', { ...release, environment: 'staging' }), context);

    // Assess
    expect(decision).toEqual({ malformed: 'the button is for environment staging' });
  });
});

describe('Function: decideSlackCommand', () => {
  it('does not take approve as a slash command: approvals are buttons naming the release', () => {
    // Act
    const decision = decideSlackCommand(new URLSearchParams({ user_id: 'UALLOWED', text: 'approve web', response_url: RESPONSE_URL }).toString(), context);

    // Assess
    expect(decision.work).toBeUndefined();
    expect(decision.reply?.response_type).toBe('ephemeral');
  });
});
