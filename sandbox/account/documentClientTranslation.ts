import { marshall, unmarshall, type marshallOptions, type unmarshallOptions } from '@aws-sdk/util-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

type KeyNodes = Record<string, unknown> | null;

/** The low-level operation each DynamoDB document command sends. */
const OPERATIONS: readonly [abstract new (...args: never[]) => unknown, string][] = [
  [GetCommand, 'GetItem'],
  [PutCommand, 'PutItem'],
  [UpdateCommand, 'UpdateItem'],
  [DeleteCommand, 'DeleteItem'],
  [QueryCommand, 'Query'],
  [ScanCommand, 'Scan'],
  [BatchWriteCommand, 'BatchWriteItem'],
  [BatchGetCommand, 'BatchGetItem'],
  [TransactWriteCommand, 'TransactWriteItems'],
  [TransactGetCommand, 'TransactGetItems'],
];

// The walk below is lib-dynamodb's own (processObj / processKeysInObj / processAllKeysInObj in
// @aws-sdk/lib-dynamodb), so that the simulated table sees exactly what DynamoDB would: top-level `undefined`
// attributes dropped, nested ones rejected by `marshall` unless removeUndefinedValues is set.
function processObj(obj: unknown, processFunc: (value: unknown) => unknown, keyNodes: KeyNodes): unknown {
  if (obj === undefined) return undefined;
  if (keyNodes === null) return processFunc(obj);
  const keys = Object.keys(keyNodes);
  const goToNextLevel = keys.length === 1 && keys[0] === '*';
  if (keys.length >= 1 && !goToNextLevel) return processKeysInObj(obj, processFunc, keyNodes);
  if (keys.length === 0) return processAllKeysInObj(obj, processFunc, null);
  return Object.entries((obj ?? {}) as Record<string, unknown>).reduce<Record<string, unknown> | unknown[]>(
    (accumulator, [key, value]) => {
      if (typeof value !== 'function') (accumulator as Record<string, unknown>)[key] = processObj(value, processFunc, keyNodes['*'] as KeyNodes);
      return accumulator;
    },
    Array.isArray(obj) ? [] : {},
  );
}

function processKeysInObj(obj: unknown, processFunc: (value: unknown) => unknown, keyNodes: Record<string, unknown>): unknown {
  let accumulator: Record<string, unknown> | unknown[];
  if (Array.isArray(obj)) accumulator = obj.filter((item) => typeof item !== 'function');
  else {
    accumulator = {};
    for (const [key, value] of Object.entries(obj as Record<string, unknown>)) if (typeof value !== 'function') accumulator[key] = value;
  }
  for (const [nodeKey, nodes] of Object.entries(keyNodes)) {
    const value = (obj as Record<string, unknown>)[nodeKey];
    if (typeof value === 'function') continue;
    const processed = processObj(value, processFunc, nodes as KeyNodes);
    if (processed !== undefined && typeof processed !== 'function') (accumulator as Record<string, unknown>)[nodeKey] = processed;
  }
  return accumulator;
}

function processAllKeysInObj(obj: unknown, processFunc: (value: unknown) => unknown, keyNodes: KeyNodes): unknown {
  if (Array.isArray(obj)) return obj.filter((item) => typeof item !== 'function').map((item) => processObj(item, processFunc, keyNodes));
  return Object.entries(obj as Record<string, unknown>).reduce<Record<string, unknown>>((accumulator, [key, value]) => {
    if (typeof value === 'function') return accumulator;
    const processed = processObj(value, processFunc, keyNodes);
    if (processed !== undefined && typeof processed !== 'function') accumulator[key] = processed;
    return accumulator;
  }, {});
}

/** What a document command looks like inside (lib-dynamodb keeps these public). */
interface DocumentCommandShape {
  readonly input: Record<string, unknown>;
  readonly inputKeyNodes: Record<string, unknown>;
  readonly outputKeyNodes: Record<string, unknown>;
}

/** The translation options of a document client (`DynamoDBDocumentClient.from(client, translateConfig)`). */
export interface TranslateConfig {
  readonly marshallOptions?: marshallOptions;
  readonly unmarshallOptions?: unmarshallOptions;
}

/**
 * Translates a `@aws-sdk/lib-dynamodb` command into the low-level request DynamoDB receives, the way the document
 * client's marshalling middleware does, and returns the function that translates the low-level answer back.
 */
export function lowLevelRequestOf(
  command: unknown,
  translateConfig: TranslateConfig | undefined,
): { readonly operation: string; readonly input: Record<string, unknown>; readonly translateOutput: (output: unknown) => unknown } {
  const entry = OPERATIONS.find(([commandClass]) => command instanceof commandClass);
  if (entry === undefined) throw new Error(`the simulated DynamoDB does not know the document command ${(command as object).constructor.name}`);
  const shape = command as DocumentCommandShape;
  const marshallConfig = { ...translateConfig?.marshallOptions, convertTopLevelContainer: translateConfig?.marshallOptions?.convertTopLevelContainer ?? true };
  const unmarshallConfig = { ...translateConfig?.unmarshallOptions, convertWithoutMapWrapper: translateConfig?.unmarshallOptions?.convertWithoutMapWrapper ?? true };
  const input = processKeysInObj(shape.input, (value) => marshall(value as never, marshallConfig), shape.inputKeyNodes) as Record<string, unknown>;
  return {
    operation: entry[1],
    input,
    translateOutput: (output) => processKeysInObj(output, (value) => unmarshall(value as never, unmarshallConfig), shape.outputKeyNodes),
  };
}
