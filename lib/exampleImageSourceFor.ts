import { type ContextReader, type PromotionPeer, readCutoverConfig } from './cutoverConfig.ts';

/**
 * The environment whose ECR repository images of `environment` come from: the first of its promotion chain (following
 * `promotedFrom` back to an environment nothing promotes into), itself when nothing promotes into it. A promoted
 * release runs the same digest from the same repository, so only that environment's example stack creates it.
 */
export function exampleImageSourceFor(environment: string, tryGetContext: ContextReader): PromotionPeer {
  const configOf = (name: string) => readCutoverConfig((key) => (key === 'environment' ? name : tryGetContext(key)));
  let current = configOf(environment);
  const seen = new Set([environment]);
  for (let source = current.promotedFrom[0]; source !== undefined && !seen.has(source.environment); source = current.promotedFrom[0]) {
    seen.add(source.environment);
    current = configOf(source.environment);
  }
  return { environment: current.environment, account: current.account, region: current.region };
}
