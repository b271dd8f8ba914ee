import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { ReleaseEventPort } from '../domain/releaseEventPort.ts';
import { RELEASE_PHASE_EVENT, type ReleasePhaseDetail } from '../domain/releasePhaseEvent.ts';
import { RELEASE_SUCCEEDED_EVENT, type ReleaseSucceededDetail } from '../domain/releaseSucceededEvent.ts';

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
    await this.put(RELEASE_PHASE_EVENT.source, RELEASE_PHASE_EVENT.detailType, detail);
  }

  /** {@inheritDoc ReleaseEventPort.publishReleaseSucceeded} */
  async publishReleaseSucceeded(detail: ReleaseSucceededDetail): Promise<void> {
    await this.put(RELEASE_SUCCEEDED_EVENT.source, RELEASE_SUCCEEDED_EVENT.detailType, detail);
  }

  private async put(source: string, detailType: string, detail: object): Promise<void> {
    const output = await this.client.send(
      new PutEventsCommand({ Entries: [{ EventBusName: this.eventBusName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }] }),
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
