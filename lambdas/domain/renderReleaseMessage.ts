import { SlackButton, type SlackButtonValue } from './decideSlackRequest.ts';
import { ReleasePhase, type ReleasePhaseDetail } from './releasePhaseEvent.ts';
import type { SlackMessage } from './slackPorts.ts';

const HEADLINE: Record<ReleasePhaseDetail['phase'], (d: ReleasePhaseDetail) => string> = {
  Started: (d) => `:rocket: Releasing *${d.service}* to *${d.environment}*`,
  WeightChanged: (d) => `:arrows_counterclockwise: *${d.service}* in *${d.environment}*: ${d.weight ?? '?'} % of traffic on the new version`,
  WaitingForApproval: (d) => `:raised_hand: *${d.service}* in *${d.environment}*: waiting for an approval${d.endsAt ? ` until ${d.endsAt}` : ''}, no traffic moved yet`,
  WaitingForPromotion: (d) => `:hourglass: *${d.service}* in *${d.environment}*: waiting for promotion at ${d.weight ?? '?'} %`,
  Succeeded: (d) => `:white_check_mark: *${d.service}* released to *${d.environment}*`,
  RolledBack: (d) => `:rewind: *${d.service}* in *${d.environment}* rolled back`,
  Failed: (d) => `:x: *${d.service}* release to *${d.environment}* failed`,
};

/** Slack mrkdwn control characters in text that comes from outside (causes, image URIs) are escaped. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The Block Kit message of a release in its current phase: one message per release, updated in place as the release
 * moves. A release waiting for promotion gets Promote / Roll back buttons, one waiting at the approval gate Approve /
 * Reject buttons; their value names the release, so that a click acts on this release only (they come back through
 * `/slack/interactions`).
 */
export function renderReleaseMessage(detail: ReleasePhaseDetail): SlackMessage {
  const headline = HEADLINE[detail.phase](detail);
  const facts = [
    `*Release* ${escape(detail.releaseId)}`,
    ...(detail.imageUri ? [`*Image* ${escape(detail.imageUri)}`] : []),
    ...(detail.requestedBy ? [`*Requested by* ${escape(detail.requestedBy)}`] : []),
    ...(detail.stepIndex !== undefined ? [`*Step* ${detail.stepIndex + 1}`] : []),
  ];
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: headline } },
    { type: 'context', elements: facts.map((fact) => ({ type: 'mrkdwn', text: fact })) },
  ];
  if (detail.cause !== undefined && (detail.phase === ReleasePhase.RolledBack || detail.phase === ReleasePhase.Failed)) {
    const cause = `${detail.error ? `${escape(detail.error)}: ` : ''}${escape(detail.cause)}`.slice(0, 2900);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Cause* ${cause}` } });
  }
  if (detail.warning !== undefined && detail.phase === ReleasePhase.Succeeded) {
    const warning = escape(detail.warning).slice(0, 2800);
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `:warning: *Post-promotion migration failed* ${warning}\nTraffic stays on the new colour (rolling back after a contract migration is unsafe): fix the migration and run it again; see docs/migrations.md.` },
    });
  }
  const value: SlackButtonValue = { service: detail.service, environment: detail.environment, releaseId: detail.releaseId };
  if (detail.phase === ReleasePhase.WaitingForApproval) {
    blocks.push({
      type: 'actions',
      block_id: 'cutover_release_actions',
      elements: [
        { type: 'button', action_id: SlackButton.Approve, style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value: JSON.stringify(value) },
        { type: 'button', action_id: SlackButton.Reject, style: 'danger', text: { type: 'plain_text', text: 'Reject' }, value: JSON.stringify(value) },
      ],
    });
  }
  if (detail.phase === ReleasePhase.WaitingForPromotion) {
    blocks.push({
      type: 'actions',
      block_id: 'cutover_release_actions',
      elements: [
        { type: 'button', action_id: SlackButton.Promote, style: 'primary', text: { type: 'plain_text', text: 'Promote' }, value: JSON.stringify(value) },
        { type: 'button', action_id: SlackButton.Rollback, style: 'danger', text: { type: 'plain_text', text: 'Roll back' }, value: JSON.stringify(value) },
      ],
    });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Updated ${detail.at}` }] });
  return { text: headline.replace(/[*:]/g, '').trim(), blocks };
}
