import { ReleaseError } from './errors.ts';
import type { ReleaseState } from './releaseState.ts';

/** The task definition Build registered; throws {@link ReleaseError} when a state runs before Build (a state machine bug). */
export function requireBuild(state: ReleaseState, stateName: string): { readonly taskDefinitionArn: string } {
  if (state.build === undefined) throw new ReleaseError(`${stateName} needs $.build, which Build writes; the state machine ran it too early`);
  return state.build;
}
