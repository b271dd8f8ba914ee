import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ParameterPort } from '../domain/ports.ts';

/** {@link ParameterPort} over the SSM SDK client. SecureString parameters are decrypted. */
export class ParameterAdapter implements ParameterPort {
  private readonly client: SSMClient;

  constructor(client?: SSMClient) {
    this.client = client ?? new SSMClient({});
  }

  /** @inheritdoc */
  async getParameter(name: string): Promise<string | undefined> {
    try {
      const output = await this.client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      return output.Parameter?.Value;
    } catch (error) {
      if ((error as Error).name === 'ParameterNotFound') return undefined;
      throw error;
    }
  }
}
