import type { EcrRepositoryLocation } from './ports.ts';

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * Where an ECR repository is, from a release's `image.repository`: a bare name (`web`, `team/web`) is in the caller's
 * registry and region; a URI `<account>.dkr.ecr.<region>.amazonaws.com/<name>` names its registry and region.
 * `undefined` for a repository in another registry (not ECR).
 */
export function ecrRepositoryLocationOf(repository: string): EcrRepositoryLocation | undefined {
  const slash = repository.indexOf('/');
  const first = slash < 0 ? '' : repository.slice(0, slash);
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  if (!hasHost) return { repositoryName: repository };
  const match = ECR_HOST.exec(first);
  if (match === null) return undefined;
  const [, registryId = '', region = ''] = match;
  return { repositoryName: repository.slice(slash + 1), registryId, region };
}
