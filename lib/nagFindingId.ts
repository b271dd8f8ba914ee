import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The id cdk-nag 3 gives the AwsSolutions-IAM5 finding for a wildcard resource, e.g.
 * `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/cutover/dev/services/*]`.
 * Mirrors cdk-nag's (unexported) `flattenCfnReference`, so that an acknowledgement names exactly the pattern granted
 * and a wider pattern added later is reported again.
 */
export function iam5ResourceFindingId(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

/** Whether a resource, once resolved, contains a wildcard (what AwsSolutions-IAM5 reports). */
export function hasWildcard(scope: IConstruct, resource: string): boolean {
  return flattenCfnReference(Stack.of(scope).resolve(resource)).includes('*');
}

function flattenCfnReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    const join = record['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, unknown[]];
      return items.map(flattenCfnReference).join(delimiter);
    }
    if (record['Fn::Sub'] !== undefined) return flattenCfnReference(record['Fn::Sub']);
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${flattenCfnReference(getAtt[0])}.${flattenCfnReference(getAtt[1])}>`;
    if (record['Fn::ImportValue'] !== undefined) return flattenCfnReference(record['Fn::ImportValue']);
    if (record['Ref'] !== undefined) return `<${flattenCfnReference(record['Ref'])}>`;
  }
  return JSON.stringify(node);
}
