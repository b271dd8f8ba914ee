import type { HttpPort, HttpResponseView } from '../domain/ports.ts';

/** How much of a response body a smoke test reads: enough for `expectBodyContains` and an excerpt. */
const MAX_BODY_BYTES = 64 * 1024;

async function readBodyStart(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // A huge or endless body is not read to its end.
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES));
}

/** {@link HttpPort} over the global `fetch`, each request bounded by `AbortSignal.timeout`. Redirects are not followed: a smoke test checks what the listener answers. */
export class HttpAdapter implements HttpPort {
  private readonly fetchFunction: typeof fetch;

  constructor(fetchFunction?: typeof fetch) {
    this.fetchFunction = fetchFunction ?? ((...args) => globalThis.fetch(...args));
  }

  /** @inheritdoc */
  async request(url: string, options: { readonly method: string; readonly timeoutMs: number }): Promise<HttpResponseView> {
    const signal = AbortSignal.timeout(options.timeoutMs);
    const response = await this.fetchFunction(url, { method: options.method, signal, redirect: 'manual', headers: { 'user-agent': 'cutover-smoke-test' } });
    return { status: response.status, body: options.method === 'HEAD' ? '' : await readBodyStart(response) };
  }
}
