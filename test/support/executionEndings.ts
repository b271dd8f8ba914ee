import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface AslCatcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

interface AslState {
  readonly Type: string;
  readonly Next?: string;
  readonly Default?: string;
  readonly Choices?: readonly { readonly Next: string }[];
  readonly Catch?: readonly AslCatcher[];
  readonly Resource?: string;
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly ResultPath?: string | null;
  readonly Error?: string;
  readonly ErrorPath?: string;
}

/** An entry of lib/releaseFunctions.ts or lib/rollbackFunctions.ts. */
export interface FunctionCatalogEntry {
  readonly placeholder: string;
  readonly entry: string;
}

/** The names of the error classes of lambdas/domain/errors.ts (each sets its name to its class name). */
function domainErrorClasses(): ReadonlySet<string> {
  const source = readFileSync(join(ROOT, 'lambdas/domain/errors.ts'), 'utf8');
  return new Set([...source.matchAll(/export class (\w+) extends ReleaseError/g)].map((match) => match[1] ?? ''));
}

/** The source files a handler runs: its entry and every module it imports for a value (type-only imports run nothing). */
function importClosure(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [resolve(ROOT, entry)];
  while (pending.length > 0) {
    const file = pending.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^(?:import|export) (?!type )[^;]*?from '(\.{1,2}\/[^']+\.ts)'/gms)) {
      const imported = resolve(dirname(file), match[1] ?? '');
      if (existsSync(imported)) pending.push(imported);
    }
  }
  return [...seen];
}

/** The error classes a handler's code can throw (`new <DomainError>(`), from its import closure. */
export function domainErrorsThrownBy(entry: string): Set<string> {
  const classes = domainErrorClasses();
  const thrown = new Set<string>();
  for (const file of importClosure(entry)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/new (\w+)\(/g)) if (classes.has(match[1] ?? '')) thrown.add(match[1] ?? '');
  }
  return thrown;
}

/**
 * What a handler reports as an error name in its result, read from its domain module (`lambdas/domain/<same name>.ts`,
 * not the modules it imports: the metrics name gates without reporting them): the `ReleaseErrorName`s it uses, the
 * literal it falls back to (`state.error?.Error ?? 'ReleaseFailed'`), and whether it may report a caught error as it is.
 */
function reportedInCode(entry: string): { named: Set<string>; fallback?: string; passesCaughtError: boolean } {
  const domainModule = join(ROOT, 'lambdas/domain', basename(entry));
  if (!existsSync(domainModule)) throw new Error(`no domain module ${domainModule} for ${entry}`);
  const source = readFileSync(domainModule, 'utf8');
  const named = new Set([...source.matchAll(/ReleaseErrorName\.(\w+)/g)].map((match) => match[1] ?? ''));
  const fallback = /error\?\.Error \?\? '(\w+)'/.exec(source)?.[1];
  const passesCaughtError = /(?:return|=)\s*(?:state\.)?error\??\.Error\b/.test(source);
  return { named, passesCaughtError, ...(fallback === undefined ? {} : { fallback }) };
}

/**
 * Every error name a state machine's execution can end with that is cutover's own: each Fail state's `Error`, and for
 * a Fail state with an `ErrorPath` the domain errors (lambdas/domain/errors.ts) that reach it: thrown by a Task whose
 * `Catch` leads there, or reported by a Task whose result the path reads (GateFailed's gate error; ReleaseFailed's
 * caught error, or its own name when there was none). AWS and runtime errors (States.*, Lambda.*) are not listed: they
 * are faults. Throws when the definition has a shape this cannot follow, so that the list is never silently short.
 * Returns each name with the Fail states it ends at.
 */
export function executionEndings(definitionPath: string, catalog: Readonly<Record<string, FunctionCatalogEntry>>): Map<string, Set<string>> {
  const definition = JSON.parse(readFileSync(join(ROOT, definitionPath), 'utf8')) as { States: Record<string, AslState> };
  const states = definition.States;
  const entryOf = (stateName: string): string => {
    const state = states[stateName];
    // A Lambda task names its function as the Resource, or (lambda:invoke, .waitForTaskToken) as Parameters.FunctionName.
    const functionName = state?.Parameters?.['FunctionName'];
    const resource = typeof functionName === 'string' ? functionName : (state?.Resource ?? '');
    const placeholder = /^\$\{(\w+)\}$/.exec(resource)?.[1];
    const found = Object.values(catalog).find((entry) => entry.placeholder === placeholder);
    if (found === undefined) throw new Error(`${definitionPath}: cannot tell which handler ${stateName} (${resource}) runs, so not which errors it ends with`);
    return found.entry;
  };
  const normalNext = (state: AslState): string[] => [state.Next, state.Default, ...(state.Choices ?? []).map((choice) => choice.Next)].filter((next): next is string => next !== undefined);
  /** States that enter `target`, each with how: a normal transition, or a Catch storing the error at its ResultPath. */
  const entering = (target: string): { from: string; via: 'next' | 'catch'; resultPath: string }[] =>
    Object.entries(states).flatMap(([name, state]) => [
      ...(normalNext(state).includes(target) ? [{ from: name, via: 'next' as const, resultPath: state.ResultPath ?? '$' }] : []),
      ...(state.Catch ?? []).filter((catcher) => catcher.Next === target).map((catcher) => ({ from: name, via: 'catch' as const, resultPath: catcher.ResultPath ?? '$' })),
    ]);
  const errorField = (resultPath: string): string => (resultPath === '$' ? '$.Error' : `${resultPath}.Error`);
  const thrownBy = (stateName: string): Set<string> => domainErrorsThrownBy(entryOf(stateName));
  /** The Tasks whose Catch leads to `target`, directly or through Pass states. */
  const catchingInto = (target: string): string[] =>
    entering(target).flatMap((edge) => (states[edge.from]?.Type === 'Pass' ? catchingInto(edge.from) : edge.via === 'catch' ? [edge.from] : []));
  /**
   * What a Task reports in its result: the names its code uses, its fallback, and, when it may report a caught error as
   * it is, everything thrown by the Tasks that catch into it. (A task token failed by another handler, such as
   * onTaskStopped's MigrationFailed, is mapped to the gate's name by the reporter and is not followed.)
   */
  const reportedBy = (stateName: string): Set<string> => {
    const { named, fallback, passesCaughtError } = reportedInCode(entryOf(stateName));
    const caught = passesCaughtError ? catchingInto(stateName).flatMap((catcher) => [...thrownBy(catcher)]) : [];
    return new Set([...named, ...(fallback === undefined ? [] : [fallback]), ...caught]);
  };

  const endings = new Map<string, Set<string>>();
  const add = (name: string, failState: string): void => {
    endings.set(name, new Set([...(endings.get(name) ?? []), failState]));
  };
  for (const [failName, fail] of Object.entries(states)) {
    if (fail.Type === 'Parallel' || fail.Type === 'Map') throw new Error(`${definitionPath}: ${failName} is a ${fail.Type}; executionEndings does not follow nested states`);
    if (fail.Type !== 'Fail') continue;
    if (fail.Error !== undefined) add(fail.Error, failName);
    if (fail.ErrorPath === undefined) continue;
    const errorPath = fail.ErrorPath;
    // Walk back through states that do not set the error (Pass, Choice) to the Tasks that do.
    const pending = [failName];
    const visited = new Set<string>();
    while (pending.length > 0) {
      const target = pending.pop() ?? '';
      if (visited.has(target)) continue;
      visited.add(target);
      for (const edge of entering(target)) {
        const source = states[edge.from];
        if (source?.Type === 'Pass' || source?.Type === 'Choice') {
          pending.push(edge.from);
        } else if (source?.Type === 'Task' && edge.via === 'catch' && errorField(edge.resultPath) === errorPath) {
          for (const name of thrownBy(edge.from)) add(name, failName);
        } else if (source?.Type === 'Task' && edge.via === 'next' && errorPath.startsWith(`${edge.resultPath}.`)) {
          for (const name of reportedBy(edge.from)) add(name, failName);
        } else {
          throw new Error(`${definitionPath}: cannot tell which error ${edge.from} (${source?.Type ?? '?'}, ${edge.via}) leaves at ${errorPath} for ${failName}`);
        }
      }
    }
  }
  return endings;
}
