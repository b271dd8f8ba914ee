import { type EnvironmentSettings, environmentSettingsParameterName, OnFreeze, parseEnvironmentSettings } from './environmentSettings.ts';
import { InvalidEnvironmentSettings, ReleaseFrozen } from './errors.ts';
import { freezeVerdict } from './freezeVerdict.ts';
import type { ParameterPort } from './ports.ts';
import type { ReleaseState } from './releaseState.ts';

/** What CheckReleasePolicy reports (`$.policy`): whether to wait for a freeze to end, and whether to await an approval. */
export interface ReleasePolicyState {
  /** Present while the release is frozen: WaitForFreezeEnd waits until then and the policy is checked again. */
  readonly waitUntil?: string;
  /** Seconds from now until `waitUntil` (at least 1): the timeout of WaitForFreezeEnd. */
  readonly waitSeconds?: number;
  /** The freeze windows or dates that hold the release. */
  readonly freezeReason?: string;
  /** Whether AwaitApproval runs before the migration and the first traffic shift (unless the release was approved already). */
  readonly requireApproval: boolean;
  /** Why an approval is required: the environment, or a promotion into a service that asks for one. */
  readonly approvalReason?: string;
  /** The environment's approval settings; absent for a rollback release, which never reads them. */
  readonly approvalTimeoutSeconds?: number;
  readonly allowSelfApproval?: boolean;
  readonly approvers?: readonly string[];
  /** Why the gate let the release through without reading the settings: `rollback` for a `rollbackTo` release. */
  readonly exempt?: 'rollback';
}

/** The ports CheckReleasePolicy reads. */
export interface ReleasePolicyPorts {
  /** SSM Parameter Store: `/cutover/<environment>/settings`. */
  readonly parameters: ParameterPort;
}

/**
 * The policy gate, when the idle colour is ready and before the migration, the smoke tests and any production traffic:
 * reads the environment's settings (at the gate, not in Prepare, so a freeze declared while a release is under way
 * still holds it) and judges them with {@link releasePolicyFor}. A rollback release (`rollbackTo`) restores what ran
 * before: it returns at once, without reading the settings, so even invalid settings never hold a rollback.
 * Throws {@link InvalidEnvironmentSettings} when the settings are not valid JSON or break the schema.
 */
export async function checkReleasePolicy(state: ReleaseState, ports: ReleasePolicyPorts, now: Date): Promise<ReleasePolicyState> {
  if (state.release.rollback !== undefined) return { requireApproval: false, exempt: 'rollback' };
  const name = environmentSettingsParameterName(state.release.environment);
  const text = await ports.parameters.getParameter(name);
  let raw: unknown;
  try {
    raw = text === undefined ? undefined : JSON.parse(text);
  } catch (error) {
    throw new InvalidEnvironmentSettings(`${name} is not valid JSON`, { cause: error });
  }
  return releasePolicyFor(state, parseEnvironmentSettings(name, raw), now);
}

/**
 * The environment's freeze windows and approval policy applied to a release. Inside a freeze the release waits until
 * it ends (`waitUntil`), or is refused with {@link ReleaseFrozen} when the environment says `refuse` or the wait would
 * end later than `maxWaitSeconds` after the release started. Pure: the clock is an argument.
 */
export function releasePolicyFor(state: ReleaseState, settings: EnvironmentSettings, now: Date): ReleasePolicyState {
  const { release } = state;
  if (release.rollback !== undefined) return { requireApproval: false, exempt: 'rollback' };
  const verdict = freezeVerdict(settings.freeze, now);
  const promotionApproval = release.promotedFrom !== undefined && release.promotion === 'approval';
  const approval: ReleasePolicyState = {
    requireApproval: settings.requireApproval || promotionApproval,
    ...(settings.requireApproval
      ? { approvalReason: `${release.environment} requires an approval` }
      : promotionApproval
        ? { approvalReason: `${release.service} requires an approval for promotions (promotion: approval)` }
        : {}),
    approvalTimeoutSeconds: settings.approvalTimeoutSeconds,
    allowSelfApproval: settings.allowSelfApproval,
    approvers: settings.approvers,
  };
  if (!verdict.frozen) return approval;

  const { onFreeze, maxWaitSeconds } = settings.freeze;
  const endsAt = verdict.endsAt.toISOString();
  if (onFreeze === OnFreeze.Refuse) {
    throw new ReleaseFrozen(`${release.environment} is frozen (${verdict.reason}) until ${endsAt}; releases are refused during a freeze`);
  }
  const latest = Date.parse(release.startedAt) + maxWaitSeconds * 1000;
  if (verdict.endsAt.getTime() > latest) {
    throw new ReleaseFrozen(
      `${release.environment} is frozen (${verdict.reason}) until ${endsAt}, later than the release may wait (maxWaitSeconds ${maxWaitSeconds} after ${release.startedAt})`,
    );
  }
  const waitSeconds = Math.max(1, Math.ceil((verdict.endsAt.getTime() - now.getTime()) / 1000));
  return { ...approval, waitUntil: endsAt, waitSeconds, freezeReason: verdict.reason };
}
