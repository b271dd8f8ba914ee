import { awsError } from './awsError.ts';

interface StoredParameter {
  value: string;
  type: string;
  version: number;
  lastModifiedDate: Date;
}

/** The most parameters GetParametersByPath returns per page (its `MaxResults` limit and default). */
const MAX_RESULTS_PER_PAGE = 10;

/** Where a GetParametersByPath page ends: the request it belongs to and the offset of the next page. */
interface PageToken {
  readonly path: string;
  readonly recursive: boolean;
  readonly offset: number;
}

/**
 * SSM Parameter Store of the simulated account: GetParameter, GetParametersByPath (path hierarchy, `Recursive`,
 * `MaxResults` pages with `NextToken`) and PutParameter. A SecureString is returned decrypted only with
 * `WithDecryption: true`; without it the value is an opaque ciphertext, as SSM returns it.
 */
export class SimulatedSsm {
  private readonly parameters = new Map<string, StoredParameter>();

  constructor(private readonly region: string, private readonly accountId: string) {}

  /** The operations this service answers, by name. */
  readonly operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    GetParameter: (input) => this.getParameter(input),
    GetParametersByPath: (input) => this.getParametersByPath(input),
    PutParameter: (input) => this.putParameter(input),
  };

  /** Sets a parameter directly (seeding), as PutParameter with Overwrite would. */
  seedParameter(name: string, value: string, type = 'String'): void {
    this.putParameter({ Name: name, Value: value, Type: type, Overwrite: true });
  }

  /** Removes every parameter. */
  reset(): void {
    this.parameters.clear();
  }

  private getParameter(input: Record<string, unknown>): unknown {
    const name = String(input.Name);
    const parameter = this.parameters.get(name);
    if (parameter === undefined) throw awsError('ssm', 'ParameterNotFound', '');
    return { Parameter: this.describe(name, parameter, input.WithDecryption === true) };
  }

  private getParametersByPath(input: Record<string, unknown>): unknown {
    const path = String(input.Path ?? '');
    if (!path.startsWith('/') || /\/\/|\s/.test(path)) {
      throw awsError('ssm', 'ValidationException', `The parameter doesn't meet the parameter name requirements. A path must begin with a forward slash "/" and use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). All sub-paths must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.`);
    }
    if (input.ParameterFilters !== undefined) throw new Error('the simulated SSM does not implement GetParametersByPath ParameterFilters');
    const maxResults = input.MaxResults === undefined ? MAX_RESULTS_PER_PAGE : Number(input.MaxResults);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS_PER_PAGE) {
      throw awsError('ssm', 'ValidationException', `1 validation error detected: Value '${String(input.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value ${maxResults < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`);
    }
    const recursive = input.Recursive === true;
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const names = [...this.parameters.keys()]
      .filter((name) => name.startsWith(prefix) && name.length > prefix.length && (recursive || !name.slice(prefix.length).includes('/')))
      .sort();
    const offset = input.NextToken === undefined ? 0 : this.readPageToken(input.NextToken, path, recursive);
    const page = names.slice(offset, offset + maxResults);
    const next = offset + page.length;
    const token: PageToken = { path, recursive, offset: next };
    return {
      Parameters: page.map((name) => this.describe(name, this.parameters.get(name) as StoredParameter, input.WithDecryption === true)),
      ...(next < names.length ? { NextToken: Buffer.from(JSON.stringify(token)).toString('base64url') } : {}),
    };
  }

  /** The offset a NextToken points at; InvalidNextToken for a token of another request or none at all. */
  private readPageToken(text: unknown, path: string, recursive: boolean): number {
    try {
      const token = JSON.parse(Buffer.from(String(text), 'base64url').toString('utf8')) as Partial<PageToken>;
      if (token.path === path && token.recursive === recursive && Number.isInteger(token.offset) && (token.offset ?? -1) >= 0) return token.offset as number;
    } catch {
      // Not a token of ours: answered below, as SSM does.
    }
    throw awsError('ssm', 'InvalidNextToken', 'The specified token isn\'t valid.');
  }

  /** A parameter as SSM describes it; a SecureString's value stays encrypted unless `decrypt`. */
  private describe(name: string, parameter: StoredParameter, decrypt: boolean): Record<string, unknown> {
    const encrypted = parameter.type === 'SecureString' && !decrypt;
    return {
      Name: name,
      Type: parameter.type,
      Value: encrypted ? Buffer.from(`kms:alias/aws/ssm:${name}:${parameter.version}`).toString('base64') : parameter.value,
      Version: parameter.version,
      LastModifiedDate: parameter.lastModifiedDate,
      ARN: `arn:aws:ssm:${this.region}:${this.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
      DataType: 'text',
    };
  }

  private putParameter(input: Record<string, unknown>): unknown {
    const name = String(input.Name);
    const value = input.Value;
    if (typeof value !== 'string' || value.length === 0) {
      throw awsError('ssm', 'ValidationException', '1 validation error detected: Value must not be empty');
    }
    const existing = this.parameters.get(name);
    if (existing !== undefined && input.Overwrite !== true) {
      throw awsError('ssm', 'ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    const version = (existing?.version ?? 0) + 1;
    this.parameters.set(name, { value, type: String(input.Type ?? existing?.type ?? 'String'), version, lastModifiedDate: new Date() });
    return { Version: version, Tier: 'Standard' };
  }
}
