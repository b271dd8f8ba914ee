/**
 * Installs `Promise.withResolvers` where the runtime lacks it (Node 20): aws-local-stepfunctions 3 calls it.
 * Node 22, the Lambda runtime, has it natively.
 */
export function ensurePromiseWithResolvers(): void {
  if (typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
