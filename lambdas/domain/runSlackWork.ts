import { OperatorCommand, type OperatorPorts, type OperatorResult, runOperatorCommand } from './runOperatorCommand.ts';
import type { SlackResponderPort, SlackResponse } from './slackPorts.ts';
import { SlackAction, type SlackWork, slackActorLabel } from './slackWork.ts';

/** The ports the Slack worker needs. */
export interface SlackWorkPorts extends OperatorPorts {
  readonly responder: SlackResponderPort;
}

/** What the worker did: the message it sent and whether Slack took it. */
export interface SlackWorkResult {
  /** True when the action changed something (a bake failed or succeeded). */
  readonly acted: boolean;
  readonly text: string;
  /** False when Slack did not take the answer (logged by the handler; the action stands). */
  readonly delivered: boolean;
  /** The AWS error that stopped the action, when one did (the asker is told to check the status). */
  readonly error?: { readonly name: string; readonly message: string };
}

/** Status as people read it: phase, weight and step of the running release, and the last release. */
export function formatSlackStatus(result: OperatorResult): string {
  const { lock, bake, releases } = result.details ?? {};
  const lines: string[] = [];
  if (lock) {
    lines.push(`*Release* ${lock.releaseId} (execution ${lock.executionStatus ?? 'not found'}, since ${lock.acquiredAt})`);
    lines.push(
      bake
        ? `*Phase* ${bake.manual ? 'waiting for promotion' : 'baking'} · *weight* ${bake.weight} % · *step* ${bake.stepIndex + 1} · until ${bake.endsAt}`
        : '*Phase* progressing (no bake waiting)',
    );
  } else {
    lines.push('*Phase* no release in progress');
  }
  const last = releases?.find((release) => release.releaseId !== lock?.releaseId) ?? (lock ? undefined : releases?.[0]);
  if (last) {
    lines.push(`*Last release* ${last.releaseId}: ${last.outcome}${last.cause ? ` (${last.cause.slice(0, 300)})` : ''}, ${last.imageUri}, by ${last.requestedBy}`);
  }
  return lines.join('\n');
}

/**
 * The Slack worker's use case. `rollback` and `abort` fail the waiting bake of the running release (it rolls back at
 * once), `promote` succeeds it; both record the Slack user as the actor (the ledger keeps it in the release's cause
 * or in the bake's output). `status` answers privately. A successful action is announced in the channel.
 * A rollback with no running release does nothing: rolling back a finished release is not available from Slack yet.
 */
export async function runSlackWork(work: SlackWork, ports: SlackWorkPorts, now: Date): Promise<SlackWorkResult> {
  if (work.kind === 'reply') {
    const delivered = await ports.responder.respond(work.responseUrl, { response_type: 'ephemeral', text: work.text, replace_original: false });
    return { acted: false, text: work.text, delivered };
  }
  const command =
    work.action === SlackAction.Status ? OperatorCommand.Status : work.action === SlackAction.Promote ? OperatorCommand.Promote : OperatorCommand.Abort;
  let result: OperatorResult;
  try {
    const request = {
      command,
      service: work.service,
      environment: work.environment,
      actor: slackActorLabel(work.actor),
      reason: `${work.action} from Slack`,
      ...(work.releaseId ? { releaseId: work.releaseId } : {}),
    };
    result = await runOperatorCommand(request, ports, now);
  } catch (caught) {
    // Not retried: an action that may have half-happened is reported, and the asker looks at the status.
    const error = caught instanceof Error ? { name: caught.name, message: caught.message } : { name: 'Error', message: String(caught) };
    const text = `cutover could not ${work.action} ${work.service} in ${work.environment} (${error.name}). Check \`/cutover status ${work.service} ${work.environment}\`.`;
    const delivered = await ports.responder.respond(work.responseUrl, { response_type: 'ephemeral', text, replace_original: false });
    return { acted: false, text, delivered, error };
  }
  let response: SlackResponse;
  if (command === OperatorCommand.Status) {
    response = { response_type: 'ephemeral', text: `${work.service} in ${work.environment}\n${formatSlackStatus(result)}` };
  } else if (result.exitCode === 0) {
    response = { response_type: 'in_channel', text: `<@${work.actor.userId}> asked to ${work.action}: ${result.message}`, replace_original: false };
  } else {
    const hint = work.action === SlackAction.Rollback ? ' (rolling back a finished release is not available from Slack yet)' : '';
    response = { response_type: 'ephemeral', text: `${result.message}${hint}`, replace_original: false };
  }
  const delivered = await ports.responder.respond(work.responseUrl, response);
  return { acted: command !== OperatorCommand.Status && result.exitCode === 0, text: response.text, delivered };
}
