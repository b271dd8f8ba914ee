import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { ParameterPort } from '../domain/ports.ts';

/** Options of {@link CachedParameterAdapter}. */
export interface CachedParameterAdapterOptions {
  /** How long a value is cached across warm invocations, in seconds. @default 300 */
  readonly maxAgeSeconds?: number;
}

/**
 * {@link ParameterPort} through a Powertools Parameters {@link SSMProvider}: SecureString values are decrypted and
 * cached for `maxAgeSeconds`, so secrets (the Slack signing secret, the bot token) are read once per warm container,
 * never from the environment. A missing parameter is `undefined` and is not cached (it is read again next time).
 */
export class CachedParameterAdapter implements ParameterPort {
  private readonly provider: SSMProvider;
  private readonly maxAgeSeconds: number;

  constructor(client?: SSMClient, options: CachedParameterAdapterOptions = {}) {
    this.provider = new SSMProvider({ awsSdkV3Client: client ?? new SSMClient({}) });
    this.maxAgeSeconds = options.maxAgeSeconds ?? 300;
  }

  /** @inheritdoc */
  async getParameter(name: string): Promise<string | undefined> {
    try {
      const value = await this.provider.get(name, { decrypt: true, maxAge: this.maxAgeSeconds });
      return typeof value === 'string' ? value : undefined;
    } catch (error) {
      // Powertools wraps the SDK error in a GetParameterError; its cause carries the SDK's name.
      if (error instanceof Error && (error.cause as Error | undefined)?.name === 'ParameterNotFound') return undefined;
      throw error;
    }
  }
}
