import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertPlaceholdersMatch, definitionPlaceholders, substitutePlaceholders } from '../../lib/definitionPlaceholders.ts';
import { RELEASE_DEFINITION_PATH, releaseFunctions } from '../../lib/releaseFunctions.ts';

const definition = JSON.stringify({
  Comment: 'placeholders look like ${...}',
  StartAt: 'A',
  States: {
    A: { Type: 'Task', Resource: '${AFunctionArn}', Next: 'B' },
    B: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${BFunctionArn}' }, Next: 'C' },
    C: { Type: 'Task', Resource: '${AFunctionArn}', End: true },
  },
});

describe('Function: definitionPlaceholders', () => {
  it('lists each identifier placeholder once and ignores prose such as ${...}', () => {
    expect(definitionPlaceholders(definition)).toEqual(['AFunctionArn', 'BFunctionArn']);
  });
});

describe('Function: substitutePlaceholders', () => {
  it('replaces every occurrence and leaves unknown names and prose as they are', () => {
    // Act
    const result = JSON.parse(substitutePlaceholders(definition, { AFunctionArn: 'arn:a' }));

    // Assess
    expect(result.States.A.Resource).toBe('arn:a');
    expect(result.States.C.Resource).toBe('arn:a');
    expect(result.States.B.Parameters.FunctionName).toBe('${BFunctionArn}');
    expect(result.Comment).toBe('placeholders look like ${...}');
  });
});

describe('Function: assertPlaceholdersMatch', () => {
  it('throws naming a placeholder that has no catalog entry', () => {
    expect(() => assertPlaceholdersMatch(definition, ['AFunctionArn'], 'x.asl.json')).toThrow(
      'x.asl.json does not match lib/releaseFunctions.ts: placeholders without a catalog entry: ${BFunctionArn}',
    );
  });

  it('throws naming a catalog entry the definition never uses', () => {
    expect(() => assertPlaceholdersMatch(definition, ['AFunctionArn', 'BFunctionArn', 'CFunctionArn'], 'x.asl.json')).toThrow(
      'catalog entries without a placeholder: CFunctionArn',
    );
  });

  it('accepts the shipped definition with the shipped catalog', () => {
    const shipped = readFileSync(new URL(`../../${RELEASE_DEFINITION_PATH}`, import.meta.url), 'utf8');

    expect(() =>
      assertPlaceholdersMatch(shipped, Object.values(releaseFunctions).map((f) => f.placeholder), RELEASE_DEFINITION_PATH),
    ).not.toThrow();
  });
});
