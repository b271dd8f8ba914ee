import { awsError } from './awsError.ts';

interface StoredParameter {
  value: string;
  type: string;
  version: number;
  lastModifiedDate: Date;
}

/** SSM Parameter Store of the simulated account: GetParameter and PutParameter. */
export class SimulatedSsm {
  private readonly parameters = new Map<string, StoredParameter>();

  constructor(private readonly region: string, private readonly accountId: string) {}

  /** The operations this service answers, by name. */
  readonly operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    GetParameter: (input) => this.getParameter(input),
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
    return {
      Parameter: {
        Name: name,
        Type: parameter.type,
        Value: parameter.value,
        Version: parameter.version,
        LastModifiedDate: parameter.lastModifiedDate,
        ARN: `arn:aws:ssm:${this.region}:${this.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        DataType: 'text',
      },
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
