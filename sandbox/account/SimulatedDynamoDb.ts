import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { awsError } from './awsError.ts';
import {
  ExpressionError,
  ExpressionPlaceholders,
  applyUpdate,
  parseCondition,
  parseKeyCondition,
  type AttributeValue,
  type DynamoItem,
} from './dynamoExpressions.ts';

interface SimulatedTable {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly items: Map<string, DynamoItem>;
}

type Input = Record<string, unknown>;

/** One write of a transaction, checked but not applied yet. */
interface PlannedWrite {
  readonly table: SimulatedTable;
  readonly key: string;
  /** The item after the write; undefined deletes it. */
  readonly after: DynamoItem | undefined;
  readonly conditionHolds: boolean;
  readonly write: boolean;
}

function keyText(table: SimulatedTable, key: DynamoItem): string {
  const part = (name: string): string => {
    const value = key[name];
    if (value === undefined) throw awsError('dynamodb', 'ValidationException', `The provided key element does not match the schema: missing ${name}`);
    const scalar = value.S ?? value.N ?? value.B;
    if (typeof scalar !== 'string') throw awsError('dynamodb', 'ValidationException', `The provided key element does not match the schema: ${name} must be a scalar`);
    return scalar;
  };
  return table.sortKey === undefined ? part(table.partitionKey) : `${part(table.partitionKey)}\u0000${part(table.sortKey)}`;
}

function keyOf(table: SimulatedTable, item: DynamoItem): DynamoItem {
  const key: DynamoItem = {};
  const partition = item[table.partitionKey];
  if (partition !== undefined) key[table.partitionKey] = partition;
  if (table.sortKey !== undefined) {
    const sort = item[table.sortKey];
    if (sort !== undefined) key[table.sortKey] = sort;
  }
  return key;
}

function validation(error: unknown): never {
  if (error instanceof ExpressionError) throw awsError('dynamodb', 'ValidationException', error.message);
  throw error;
}

/**
 * DynamoDB of the simulated account, at the level of the low-level API (AttributeValue maps): GetItem, PutItem,
 * UpdateItem, DeleteItem, Query, BatchWriteItem and TransactWriteItems, with condition expressions.
 */
export class SimulatedDynamoDb {
  private readonly tables = new Map<string, SimulatedTable>();

  /** The operations this service answers, by name. */
  readonly operations: Record<string, (input: Input) => unknown> = {
    GetItem: (input) => this.getItem(input),
    PutItem: (input) => this.putItem(input),
    UpdateItem: (input) => this.updateItem(input),
    DeleteItem: (input) => this.deleteItem(input),
    Query: (input) => this.query(input),
    BatchWriteItem: (input) => this.batchWriteItem(input),
    TransactWriteItems: (input) => this.transactWriteItems(input),
  };

  /** Creates a table with string keys. */
  createTable(name: string, partitionKey = 'pk', sortKey: string | undefined = 'sk'): void {
    this.tables.set(name, { name, partitionKey, ...(sortKey === undefined ? {} : { sortKey }), items: new Map() });
  }

  /** Every item of a table (AttributeValue form), in key order. */
  items(tableName: string): readonly DynamoItem[] {
    const table = this.requireTable(tableName);
    return [...table.items.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => structuredClone(item));
  }

  /** One item (AttributeValue form), if present. */
  item(tableName: string, key: DynamoItem): DynamoItem | undefined {
    const table = this.requireTable(tableName);
    const item = table.items.get(keyText(table, key));
    return item === undefined ? undefined : structuredClone(item);
  }

  /** Every item of a table as plain JavaScript values, optionally only those whose partition key starts with `prefix`. */
  documents(tableName: string, prefix = ''): readonly Record<string, unknown>[] {
    const table = this.requireTable(tableName);
    return this.items(tableName)
      .filter((item) => String(item[table.partitionKey]?.S ?? '').startsWith(prefix))
      .map((item) => unmarshall(item as never));
  }

  /** Writes a plain JavaScript item directly (seeding). */
  seedDocument(tableName: string, document: Record<string, unknown>): void {
    this.seedItem(tableName, marshall(document) as unknown as DynamoItem);
  }

  /** Writes an item directly (seeding). */
  seedItem(tableName: string, item: DynamoItem): void {
    const table = this.requireTable(tableName);
    table.items.set(keyText(table, keyOf(table, item)), structuredClone(item));
  }

  /** Removes every table. */
  reset(): void {
    this.tables.clear();
  }

  private getItem(input: Input): unknown {
    const table = this.requireTable(input.TableName);
    const item = table.items.get(keyText(table, input.Key as DynamoItem));
    return item === undefined ? {} : { Item: structuredClone(item) };
  }

  private putItem(input: Input): unknown {
    const write = this.plannedPut(input);
    if (!write.conditionHolds) this.conditionFailed(input, write);
    const before = write.table.items.get(write.key);
    this.apply(write);
    return input.ReturnValues === 'ALL_OLD' && before !== undefined ? { Attributes: before } : {};
  }

  private updateItem(input: Input): unknown {
    const write = this.plannedUpdate(input);
    if (!write.conditionHolds) this.conditionFailed(input, write);
    const before = write.table.items.get(write.key);
    this.apply(write);
    if (input.ReturnValues === 'ALL_NEW') return { Attributes: structuredClone(write.after) };
    if (input.ReturnValues === 'ALL_OLD' && before !== undefined) return { Attributes: before };
    return {};
  }

  private deleteItem(input: Input): unknown {
    const write = this.plannedDelete(input);
    if (!write.conditionHolds) this.conditionFailed(input, write);
    const before = write.table.items.get(write.key);
    this.apply(write);
    return input.ReturnValues === 'ALL_OLD' && before !== undefined ? { Attributes: before } : {};
  }

  private query(input: Input): unknown {
    const table = this.requireTable(input.TableName);
    if (input.IndexName !== undefined) throw awsError('dynamodb', 'ValidationException', 'The simulated table has no secondary index');
    if (input.ProjectionExpression !== undefined) throw awsError('dynamodb', 'ValidationException', 'The simulation does not support ProjectionExpression');
    const placeholders = new ExpressionPlaceholders(input.ExpressionAttributeNames as Record<string, string>, input.ExpressionAttributeValues as Record<string, AttributeValue>);
    let filter: ((item: DynamoItem | undefined) => boolean) | undefined;
    let keyCondition;
    try {
      keyCondition = parseKeyCondition(String(input.KeyConditionExpression ?? ''), placeholders, table.partitionKey, table.sortKey);
      if (typeof input.FilterExpression === 'string') filter = parseCondition(input.FilterExpression, placeholders);
      placeholders.assertAllUsed();
    } catch (error) {
      validation(error);
    }
    const partitionValue = JSON.stringify(keyCondition.partitionKey.value);
    let matches = [...table.items.values()].filter(
      (item) => JSON.stringify(item[table.partitionKey]) === partitionValue && (keyCondition.sortKey === undefined || keyCondition.sortKey(table.sortKey === undefined ? undefined : item[table.sortKey])),
    );
    const sortValue = (item: DynamoItem): string => String(table.sortKey === undefined ? '' : (item[table.sortKey]?.S ?? item[table.sortKey]?.N ?? ''));
    matches.sort((a, b) => (sortValue(a) < sortValue(b) ? -1 : sortValue(a) > sortValue(b) ? 1 : 0));
    if (input.ScanIndexForward === false) matches.reverse();
    if (input.ExclusiveStartKey !== undefined) {
      const start = keyText(table, input.ExclusiveStartKey as DynamoItem);
      const index = matches.findIndex((item) => keyText(table, keyOf(table, item)) === start);
      matches = index < 0 ? [] : matches.slice(index + 1);
    }
    const limit = typeof input.Limit === 'number' ? input.Limit : undefined;
    const evaluated = limit === undefined ? matches : matches.slice(0, limit);
    const items = filter === undefined ? evaluated : evaluated.filter((item) => filter(item));
    const last = evaluated.at(-1);
    // DynamoDB returns LastEvaluatedKey whenever it stopped because of Limit, even when nothing follows.
    const lastEvaluatedKey = limit !== undefined && evaluated.length === limit && last !== undefined ? keyOf(table, last) : undefined;
    return {
      Items: structuredClone(items),
      Count: items.length,
      ScannedCount: evaluated.length,
      ...(lastEvaluatedKey === undefined ? {} : { LastEvaluatedKey: lastEvaluatedKey }),
    };
  }

  private batchWriteItem(input: Input): unknown {
    const requests = Object.entries((input.RequestItems ?? {}) as Record<string, Input[]>);
    const count = requests.reduce((total, [, list]) => total + list.length, 0);
    if (count === 0 || count > 25) throw awsError('dynamodb', 'ValidationException', 'Too many items requested for the BatchWriteItem call');
    const writes: PlannedWrite[] = [];
    for (const [tableName, list] of requests) {
      for (const request of list) {
        const put = request.PutRequest as Input | undefined;
        const del = request.DeleteRequest as Input | undefined;
        writes.push(put !== undefined ? this.plannedPut({ TableName: tableName, Item: put.Item }) : this.plannedDelete({ TableName: tableName, Key: del?.Key }));
      }
    }
    this.assertDistinct(writes, 'Provided list of item keys contains duplicates');
    for (const write of writes) this.apply(write);
    return { UnprocessedItems: {} };
  }

  private transactWriteItems(input: Input): unknown {
    const actions = (input.TransactItems ?? []) as Input[];
    if (actions.length === 0 || actions.length > 100) {
      throw awsError('dynamodb', 'ValidationException', 'Member must have length less than or equal to 100 and greater than or equal to 1');
    }
    const writes = actions.map((action) => {
      if (action.Put !== undefined) return this.plannedPut(action.Put as Input);
      if (action.Update !== undefined) return this.plannedUpdate(action.Update as Input);
      if (action.Delete !== undefined) return this.plannedDelete(action.Delete as Input);
      if (action.ConditionCheck !== undefined) return { ...this.plannedCheck(action.ConditionCheck as Input), write: false };
      throw awsError('dynamodb', 'ValidationException', 'TransactItems must contain Put, Update, Delete or ConditionCheck');
    });
    this.assertDistinct(writes, 'Transaction request cannot include multiple operations on one item');
    if (writes.some((write) => !write.conditionHolds)) {
      const reasons = writes.map((write) => (write.conditionHolds ? { Code: 'None' } : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }));
      throw awsError(
        'dynamodb',
        'TransactionCanceledException',
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
        { fields: { CancellationReasons: reasons } },
      );
    }
    for (const write of writes) if (write.write) this.apply(write);
    return {};
  }

  private plannedPut(input: Input): PlannedWrite {
    const table = this.requireTable(input.TableName);
    const item = input.Item as DynamoItem | undefined;
    if (item === undefined) throw awsError('dynamodb', 'ValidationException', 'Item is required');
    const key = keyText(table, keyOf(table, item));
    return { table, key, after: structuredClone(item), conditionHolds: this.conditionHolds(input, table.items.get(key)), write: true };
  }

  private plannedUpdate(input: Input): PlannedWrite {
    const table = this.requireTable(input.TableName);
    const keyItem = input.Key as DynamoItem;
    const key = keyText(table, keyItem);
    const before = table.items.get(key);
    const placeholders = this.placeholders(input);
    let after: DynamoItem;
    let conditionHolds: boolean;
    try {
      const condition = typeof input.ConditionExpression === 'string' ? parseCondition(input.ConditionExpression, placeholders) : undefined;
      after = applyUpdate(String(input.UpdateExpression ?? ''), placeholders, before ?? structuredClone(keyItem));
      placeholders.assertAllUsed();
      conditionHolds = condition === undefined ? true : condition(before);
    } catch (error) {
      validation(error);
    }
    for (const name of [table.partitionKey, table.sortKey]) {
      if (name !== undefined && JSON.stringify(after[name]) !== JSON.stringify(keyItem[name])) {
        throw awsError('dynamodb', 'ValidationException', `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`);
      }
    }
    return { table, key, after, conditionHolds, write: true };
  }

  private plannedDelete(input: Input): PlannedWrite {
    const table = this.requireTable(input.TableName);
    const key = keyText(table, input.Key as DynamoItem);
    return { table, key, after: undefined, conditionHolds: this.conditionHolds(input, table.items.get(key)), write: true };
  }

  private plannedCheck(input: Input): PlannedWrite {
    const table = this.requireTable(input.TableName);
    const key = keyText(table, input.Key as DynamoItem);
    if (typeof input.ConditionExpression !== 'string') throw awsError('dynamodb', 'ValidationException', 'ConditionCheck requires a ConditionExpression');
    return { table, key, after: undefined, conditionHolds: this.conditionHolds(input, table.items.get(key)), write: false };
  }

  private conditionHolds(input: Input, before: DynamoItem | undefined): boolean {
    const placeholders = this.placeholders(input);
    try {
      const condition = typeof input.ConditionExpression === 'string' ? parseCondition(input.ConditionExpression, placeholders) : undefined;
      placeholders.assertAllUsed();
      return condition === undefined ? true : condition(before);
    } catch (error) {
      validation(error);
    }
  }

  private placeholders(input: Input): ExpressionPlaceholders {
    return new ExpressionPlaceholders(input.ExpressionAttributeNames as Record<string, string> | undefined, input.ExpressionAttributeValues as Record<string, AttributeValue> | undefined);
  }

  private conditionFailed(input: Input, write: PlannedWrite): never {
    const before = write.table.items.get(write.key);
    const fields = input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before !== undefined ? { Item: structuredClone(before) } : {};
    throw awsError('dynamodb', 'ConditionalCheckFailedException', 'The conditional request failed', { fields });
  }

  private assertDistinct(writes: readonly PlannedWrite[], message: string): void {
    const keys = writes.map((write) => `${write.table.name}\u0001${write.key}`);
    if (new Set(keys).size !== keys.length) throw awsError('dynamodb', 'ValidationException', message);
  }

  private apply(write: PlannedWrite): void {
    if (write.after === undefined) write.table.items.delete(write.key);
    else write.table.items.set(write.key, write.after);
  }

  private requireTable(name: unknown): SimulatedTable {
    const table = typeof name === 'string' ? this.tables.get(name) : undefined;
    if (table === undefined) throw awsError('dynamodb', 'ResourceNotFoundException', 'Requested resource not found');
    return table;
  }
}
