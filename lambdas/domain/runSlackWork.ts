import { type ApprovalStorePort, decideApproval } from './approval.ts';
import { NothingToRollBack } from './errors.ts';
import { chooseRollbackTarget, ROLLBACK_LEDGER_DEPTH, rollbackExecutionName, type RollbackRequest } from './findRollbackTarget.ts';
import type { ExecutionStarterPort } from './ports.ts';
import { OperatorCommand, type OperatorPorts, type OperatorResult, runOperatorCommand } from './runOperatorCommand.ts';
import type { SlackResponderPort, SlackResponse } from './slackPorts.ts';
import { SlackAction, type SlackWork, slackActorLabel } from './slackWork.ts';

/** Starting the rollback state machine (statemachines/rollback.asl.json). */
export interface SlackRollbackPorts {
  readonly starter: ExecutionStarterPort;
  readonly stateMachineArn: string;
}

/** The ports the Slack worker needs. */
export interface SlackWorkPorts extends OperatorPorts {
  readonly responder: SlackResponderPort;
  /** The approval records Approve / Reject answer (the store `cutover approve|reject` uses). */
  readonly approvals: ApprovalStorePort;
  /** Rolling back a finished release. @default not available: `rollback` acts only on a running release */
  readonly rollback?: SlackRollbackPorts;
}

/** Execution statuses in which a lock holder may still act on the service. */
const LIVE_EXECUTION_STATUSES: ReadonlySet<string> = new Set(['RUNNING', 'PENDING_REDRIVE']);

type ActWork = Extract<SlackWork, { kind: 'act' }>;

/**
 * True when a running execution holds the service's lock (`rollback` then aborts it); with `releaseId`, only when
 * that release is the one holding it.
 */
async function isReleasing(work: ActWork, ports: OperatorPorts, releaseId?: string): Promise<boolean> {
  const lock = await ports.store.getLock(work.environment, work.service);
  if (lock === undefined || (releaseId !== undefined && lock.releaseId !== releaseId)) return false;
  const status = await ports.executions.describeExecutionStatus(lock.executionArn);
  return status !== undefined && LIVE_EXECUTION_STATUSES.has(status);
}

/**
 * Rolls back a finished release: checks the ledger the way the rollback machine will (so that "nothing to roll back"
 * is answered at once, privately), then starts the rollback machine, which re-checks and releases the previous
 * release's task definition. Its progress reaches the channel as the release's own phase notifications.
 */
async function startRollback(work: ActWork, ports: SlackWorkPorts, rollback: SlackRollbackPorts, now: Date): Promise<{ response: SlackResponse; acted: boolean }> {
  const records = await ports.store.listReleases(work.environment, work.service, ROLLBACK_LEDGER_DEPTH);
  let choice;
  try {
    choice = chooseRollbackTarget(records, work.service, work.environment);
  } catch (error) {
    if (!(error instanceof NothingToRollBack)) throw error;
    return { response: { response_type: 'ephemeral', text: `${error.message}. Nothing was changed.`, replace_original: false }, acted: false };
  }
  const request: RollbackRequest = { service: work.service, environment: work.environment, requestedBy: slackActorLabel(work.actor), reason: 'rollback from Slack' };
  const started = await rollback.starter.startExecution(rollback.stateMachineArn, rollbackExecutionName(work.service, work.environment, now), { ...request });
  const text =
    `<@${work.actor.userId}> asked to roll back ${work.service} in ${work.environment}: releasing ${choice.previous.releaseId} again ` +
    `(task definition ${choice.previous.toTaskDefinition}, all at once) in place of ${choice.newest.releaseId}. Execution ${started.executionArn}; ` +
    'the release reports here as it goes.';
  return { response: { response_type: 'in_channel', text, replace_original: false }, acted: started.started };
}

/**
 * Approve / Reject from a release's message: acts only while that release holds the lock, its execution runs and it
 * is parked at the approval gate; then `decideApproval` applies the approvers list and the self-approval rule exactly
 * as for `cutover approve|reject`, with the Slack user as the approver.
 */
async function answerApproval(work: ActWork, ports: SlackWorkPorts, now: Date): Promise<{ response: SlackResponse; acted: boolean }> {
  const verb = work.action === SlackAction.Approve ? 'approve' : 'reject';
  const lock = await ports.store.getLock(work.environment, work.service);
  const parked = work.releaseId !== undefined && lock !== undefined && lock.releaseId === work.releaseId && lock.gate?.name === 'approval';
  const status = parked ? await ports.executions.describeExecutionStatus(lock.executionArn) : undefined;
  if (status === undefined || !LIVE_EXECUTION_STATUSES.has(status)) {
    const text = `${work.service} in ${work.environment}: release ${work.releaseId ?? '(none named)'} is no longer waiting for an approval, nothing to ${verb}. Nothing was changed.`;
    return { response: { response_type: 'ephemeral', text, replace_original: false }, acted: false };
  }
  const result = await decideApproval(
    { decision: verb, service: work.service, environment: work.environment, actor: slackActorLabel(work.actor), reason: `${verb} from Slack`, ...(work.releaseId ? { releaseId: work.releaseId } : {}) },
    { approvals: ports.approvals, executions: ports.executions, getLock: (environment, service) => ports.store.getLock(environment, service) },
    now,
  );
  return result.exitCode === 0
    ? { response: { response_type: 'in_channel', text: `<@${work.actor.userId}> asked to ${verb}: ${result.message}`, replace_original: false }, acted: true }
    : { response: { response_type: 'ephemeral', text: result.message, replace_original: false }, acted: false };
}

/** What the worker did: the message it sent and whether Slack took it. */
export interface SlackWorkResult {
  /** True when the action changed something (a bake failed or succeeded, an approval was answered). */
  readonly acted: boolean;
  readonly text: string;
  /** False when Slack did not take the answer (logged by the handler; the action stands). */
  readonly delivered: boolean;
  /** The AWS error that stopped the action, when one did (the asker is told to check the status). */
  readonly error?: { readonly name: string; readonly message: string };
}

/** Status as people read it: phase, weight and step of the running release, and the last release. */
export function formatSlackStatus(result: OperatorResult): string {
  const { lock, bake, gate, releases } = result.details ?? {};
  const lines: string[] = [];
  if (lock) {
    lines.push(`*Release* ${lock.releaseId} (execution ${lock.executionStatus ?? 'not found'}, since ${lock.acquiredAt})`);
    lines.push(
      bake
        ? `*Phase* ${bake.manual ? 'waiting for promotion' : 'baking'} · *weight* ${bake.weight} % · *step* ${bake.stepIndex + 1} · until ${bake.endsAt}`
        : gate
          ? `*Phase* parked at the ${gate.name} gate until ${gate.until}${gate.name === 'approval' ? ', waiting for `cutover approve`' : ''}${gate.reason ? ` (${gate.reason.slice(0, 300)})` : ''}`
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
 * `rollback` typed when no release runs starts the rollback state machine (when `ports.rollback` is given): a release
 * of the previous successful release's task definition, requested by the Slack user. A button (work with a
 * `releaseId`) acts only while that release runs; otherwise it answers that the release is no longer running and
 * changes nothing. Approve / Reject answer the approval of the release parked at the approval gate (see answerApproval).
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
    if (work.action === SlackAction.Approve || work.action === SlackAction.Reject) {
      const { response, acted } = await answerApproval(work, ports, now);
      const delivered = await ports.responder.respond(work.responseUrl, response);
      return { acted, text: response.text, delivered };
    }
    // A button acts only on the release its message is about, while that release runs: an old message's Roll back
    // never starts the rollback machine (it would undo whatever release is newest) and never touches a newer release.
    if (work.releaseId !== undefined && command !== OperatorCommand.Status && !(await isReleasing(work, ports, work.releaseId))) {
      const text = `${work.service} in ${work.environment}: release ${work.releaseId} is no longer running, nothing to ${work.action}. Nothing was changed.`;
      const delivered = await ports.responder.respond(work.responseUrl, { response_type: 'ephemeral', text, replace_original: false });
      return { acted: false, text, delivered };
    }
    if (work.action === SlackAction.Rollback && work.releaseId === undefined && ports.rollback !== undefined && !(await isReleasing(work, ports))) {
      const { response, acted } = await startRollback(work, ports, ports.rollback, now);
      const delivered = await ports.responder.respond(work.responseUrl, response);
      return { acted, text: response.text, delivered };
    }
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
    const hint = work.action === SlackAction.Rollback && ports.rollback === undefined ? ' (rolling back a finished release is not configured for this endpoint)' : '';
    response = { response_type: 'ephemeral', text: `${result.message}${hint}`, replace_original: false };
  }
  const delivered = await ports.responder.respond(work.responseUrl, response);
  return { acted: command !== OperatorCommand.Status && result.exitCode === 0, text: response.text, delivered };
}
