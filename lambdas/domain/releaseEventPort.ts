import type { ReleasePhaseDetail } from './releasePhaseEvent.ts';
import type { ReleaseSucceededDetail } from './releaseSucceededEvent.ts';

/** Publishes release phase changes (EventBridge). */
export interface ReleaseEventPort {
  /** Publishes one `Release Phase Changed` event; throws when it was not accepted. */
  publishPhaseChange(detail: ReleasePhaseDetail): Promise<void>;
  /** Publishes one `Release Succeeded` event (the promotion path); throws when it was not accepted. */
  publishReleaseSucceeded(detail: ReleaseSucceededDetail): Promise<void>;
}
