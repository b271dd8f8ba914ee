import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { SlackWorkQueuePort } from '../domain/slackPorts.ts';
import type { SlackWork } from '../domain/slackWork.ts';

/** {@link SlackWorkQueuePort} as an asynchronous (`Event`) invocation of the Slack worker Lambda: returns once Lambda has queued it. */
export class SlackWorkInvoker implements SlackWorkQueuePort {
  private readonly client: LambdaClient;
  private readonly functionName: string;

  constructor(functionName: string, client?: LambdaClient) {
    this.functionName = functionName;
    this.client = client ?? new LambdaClient({});
  }

  /** {@inheritDoc SlackWorkQueuePort.enqueue} */
  async enqueue(work: SlackWork): Promise<void> {
    await this.client.send(
      new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(work)) }),
    );
  }
}
