import type { ExecutionLocation } from './parseExecutionArn.ts';

/** Docker's rule: the first path segment is a registry host when it has a dot or a port, or is `localhost`. */
function hasRegistryHost(repository: string): boolean {
  const slash = repository.indexOf('/');
  if (slash < 0) return false;
  const first = repository.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/**
 * The image URI pinned by digest: `<repository URI>@<digest>`. A repository given as a full URI is kept as is;
 * a repository name (`app`, `team/app`) is taken to be in this account's ECR registry in this region.
 */
export function imageUriFor(repository: string, digest: string, location: Pick<ExecutionLocation, 'account' | 'region'> & { readonly partition?: string }): string {
  if (hasRegistryHost(repository)) return `${repository}@${digest}`;
  const domain = location.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${location.account}.dkr.ecr.${location.region}.${domain}/${repository}@${digest}`;
}
