import { createHash } from 'node:crypto';

/** Step Functions execution names: 1-80 characters; cutover uses only ASCII letters, digits, `-` and `_`. */
export const MAX_EXECUTION_NAME_LENGTH = 80;

/** Longest readable `<service>-<environment>` prefix, so that digest, key and an `--again` suffix always fit. */
const MAX_PREFIX_LENGTH = 40;

/** Characters of the digest kept in the name, for people reading it. */
const DIGEST_CHARACTERS = 16;

/** Characters of the key (a hash of service, environment and the whole digest) that make the name unique. */
const KEY_CHARACTERS = 10;

/** An `--again` suffix: 1-8 lowercase letters or digits. */
const AGAIN_SUFFIX = /^[a-z0-9]{1,8}$/;

/**
 * The execution name of the release of `digest` to `service` in `environment`, the same for every trigger (ECR push,
 * console, CLI), so that a repeated request starts nothing new (Step Functions refuses a second execution of a name):
 *
 * `<service>-<environment>` (at most 40 characters) `-<first 16 hex digits of the digest>-<key>`, where the key is
 * the first 10 hex digits of SHA-256 over `<environment>/<service>/<digest>`: unique per release even when the
 * readable part is cut or ambiguous (`a-b` in `c` and `a` in `b-c`). At most 68 characters; with `again` (a deliberate
 * re-release) `-<again>` is appended, at most 77.
 */
export function releaseExecutionName(service: string, environment: string, digest: string, again?: string): string {
  if (again !== undefined && !AGAIN_SUFFIX.test(again)) throw new RangeError(`again must match ${AGAIN_SUFFIX}, got ${JSON.stringify(again)}`);
  const readable = `${service}-${environment}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, MAX_PREFIX_LENGTH).replace(/-+$/, '');
  const hex = digest.replace(/^sha256:/, '').replace(/[^a-f0-9]/g, '').slice(0, DIGEST_CHARACTERS);
  const key = createHash('sha256').update(`${environment}/${service}/${digest}`).digest('hex').slice(0, KEY_CHARACTERS);
  const name = `${readable}-${hex}-${key}${again === undefined ? '' : `-${again}`}`;
  return name.slice(0, MAX_EXECUTION_NAME_LENGTH);
}
