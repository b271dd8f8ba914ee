/** A placeholder: `${Name}` with an identifier inside (prose such as `${...}` in a Comment is not one). */
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The names of the `${Name}` placeholders in a state machine definition, each once, in order of first use. */
export function definitionPlaceholders(definition: string): string[] {
  return [...new Set([...definition.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))];
}

/** The definition with every `${Name}` placeholder replaced by its value; names without a value are left as they are. */
export function substitutePlaceholders(definition: string, values: Readonly<Record<string, string>>): string {
  return definition.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/**
 * Throws unless the definition's placeholders and the substitutions' names are the same set: a placeholder without a
 * substitution would deploy a state machine that fails at run time, and a substitution without a placeholder is a
 * function the state machine never calls.
 */
export function assertPlaceholdersMatch(definition: string, substitutionNames: readonly string[], source: string): void {
  const placeholders = definitionPlaceholders(definition);
  const missing = placeholders.filter((name) => !substitutionNames.includes(name));
  const unused = substitutionNames.filter((name) => !placeholders.includes(name));
  const problems = [
    ...(missing.length > 0 ? [`placeholders without a catalog entry: ${missing.map((n) => `\${${n}}`).join(', ')}`] : []),
    ...(unused.length > 0 ? [`catalog entries without a placeholder: ${unused.join(', ')}`] : []),
  ];
  if (problems.length > 0) {
    throw new Error(`${source} does not match lib/releaseFunctions.ts: ${problems.join('; ')}`);
  }
}
