import type { ReleasePhaseDetail } from './releasePhaseEvent.ts';

/** Publishes release phase changes (EventBridge). */
export interface ReleaseEventPort {
  /** Publishes one `Release Phase Changed` event; throws when it was not accepted. */
  publishPhaseChange(detail: ReleasePhaseDetail): Promise<void>;
}
