import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ParameterListPort, ParameterPort } from '../domain/ports.ts';

/** Options of {@link ParameterAdapter}. */
export interface ParameterAdapterOptions {
  /** How long a listed path is cached across warm invocations, in seconds. @default 30 */
  readonly listMaxAgeSeconds?: number;
}

/**
 * {@link ParameterPort} and {@link ParameterListPort} over the SSM SDK client. SecureString parameters are decrypted.
 * `getParameter` always reads SSM (Prepare must see the configuration as it is now); `getParametersByPath` goes through
 * a Powertools Parameters {@link SSMProvider}, which caches each path for `listMaxAgeSeconds`.
 */
export class ParameterAdapter implements ParameterPort, ParameterListPort {
  private readonly client: SSMClient;
  private readonly provider: SSMProvider;
  private readonly listMaxAgeSeconds: number;

  constructor(client?: SSMClient, options: ParameterAdapterOptions = {}) {
    this.client = client ?? new SSMClient({});
    this.provider = new SSMProvider({ awsSdkV3Client: this.client });
    this.listMaxAgeSeconds = options.listMaxAgeSeconds ?? 30;
  }

  /** @inheritdoc */
  async getParametersByPath(path: string): Promise<ReadonlyMap<string, string>> {
    const values = (await this.provider.getMultiple(path, { maxAge: this.listMaxAgeSeconds, decrypt: true, recursive: false })) ?? {};
    // The provider names each parameter relative to the path; the port names them in full.
    return new Map(Object.entries(values).flatMap(([name, value]) => (typeof value === 'string' ? [[`${path}/${name}`, value] as const] : [])));
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
