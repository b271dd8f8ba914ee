import { InvalidReleaseInput } from './errors.ts';

/** Where an execution runs: the parts of its ARN that locate other resources of the same account. */
export interface ExecutionLocation {
  /** `aws`, `aws-cn`, `aws-us-gov`, … */
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** Reads partition, region and account from `arn:<partition>:states:<region>:<account>:execution:<machine>:<name>`. */
export function parseExecutionArn(executionArn: string): ExecutionLocation {
  const match = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):execution:[^:]+:[^:]+$/.exec(executionArn);
  if (match === null) {
    throw new InvalidReleaseInput(`executionArn: ${executionArn} is not a Step Functions execution ARN`);
  }
  const [, partition = '', region = '', account = ''] = match;
  return { partition, region, account };
}
