import { type EnvironmentSettings, OnFreeze } from './environmentSettings.ts';
import { ReleaseFrozen } from './errors.ts';
import { freezeVerdict } from './freezeVerdict.ts';
import type { ReleaseState } from './releaseState.ts';

/** What CheckReleasePolicy reports (`$.policy`): whether to wait for a freeze to end, and whether to await an approval. */
export interface ReleasePolicyState {
  /** Present while the release is frozen: the WaitForFreezeEnd state waits until then and checks again. */
  readonly waitUntil?: string;
  /** The freeze windows or dates that hold the release. */
  readonly freezeReason?: string;
  /** Whether AwaitApproval runs before the first traffic shift. */
  readonly requireApproval: boolean;
  /** Why an approval is required: the environment, or a promotion into a service that asks for one. */
  readonly approvalReason?: string;
  readonly approvalTimeoutSeconds: number;
  readonly allowSelfApproval: boolean;
  readonly approvers: readonly string[];
}

/**
 * The traffic gate: the environment's freeze windows and approval policy, checked when the idle colour is ready and
 * before any production traffic moves. Inside a freeze the release waits until it ends (`waitUntil`), or is refused with
 * {@link ReleaseFrozen} when the environment says `refuse` or the wait would end later than `maxWaitSeconds` after the
 * release started. Rollbacks never pass this gate, so they are never frozen. Pure: the clock is an argument.
 */
export function checkReleasePolicy(state: ReleaseState, settings: EnvironmentSettings, now: Date): ReleasePolicyState {
  const { release } = state;
  // A rollback release (rollbackTo) restores what ran before: never frozen, never held for an approval.
  if (release.rollback !== undefined) {
    return { requireApproval: false, approvalTimeoutSeconds: settings.approvalTimeoutSeconds, allowSelfApproval: settings.allowSelfApproval, approvers: settings.approvers };
  }
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
  return { ...approval, waitUntil: endsAt, freezeReason: verdict.reason };
}
