import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { ReleaseEventPort } from '../domain/releaseEventPort.ts';
import { RELEASE_PHASE_EVENT, type ReleasePhaseDetail } from '../domain/releasePhaseEvent.ts';

/** {@link ReleaseEventPort} over EventBridge PutEvents on one event bus. */
export class EventBusAdapter implements ReleaseEventPort {
  private readonly client: EventBridgeClient;
  private readonly eventBusName: string;

  constructor(eventBusName: string, client?: EventBridgeClient) {
    this.eventBusName = eventBusName;
    this.client = client ?? new EventBridgeClient({});
  }

  /** {@inheritDoc ReleaseEventPort.publishPhaseChange} */
  async publishPhaseChange(detail: ReleasePhaseDetail): Promise<void> {
    const output = await this.client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: this.eventBusName, Source: RELEASE_PHASE_EVENT.source, DetailType: RELEASE_PHASE_EVENT.detailType, Detail: JSON.stringify(detail) }],
      }),
    );
    // PutEvents answers 200 even when an entry was refused; the entry carries the error.
    if ((output.FailedEntryCount ?? 0) > 0) {
      const entry = output.Entries?.[0];
      const error = new Error(`PutEvents refused the event: ${entry?.ErrorMessage ?? 'unknown'}`);
      error.name = entry?.ErrorCode ?? 'PutEventsFailed';
      throw error;
    }
  }
}
