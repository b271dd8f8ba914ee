/**
 * The part of DynamoDB's expression language the simulated table understands: condition and key condition expressions
 * (comparisons, AND, OR, NOT, parentheses, attribute_exists, attribute_not_exists, begins_with, contains, size,
 * BETWEEN, IN) and update expressions (SET with +, -, if_not_exists, list_append; REMOVE), with
 * ExpressionAttributeNames and ExpressionAttributeValues checked the way DynamoDB checks them (undefined or unused
 * placeholders are a ValidationException).
 */

/** An AttributeValue (`{ S: 'x' }`, `{ N: '1' }`, `{ M: {...} }`, …). */
export type AttributeValue = Record<string, unknown>;

/** An item: attribute name → AttributeValue. */
export type DynamoItem = Record<string, AttributeValue>;

/** A malformed or unsupported expression: the simulated table answers it with a ValidationException. */
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** Placeholders of one request, with the ones an expression used. */
export class ExpressionPlaceholders {
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(
    private readonly names: Record<string, string> = {},
    private readonly values: Record<string, AttributeValue> = {},
  ) {}

  /** Resolves `#name`. */
  name(placeholder: string): string {
    const name = this.names[placeholder];
    if (name === undefined) throw new ExpressionError(`An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`);
    this.usedNames.add(placeholder);
    return name;
  }

  /** Resolves `:value`. */
  value(placeholder: string): AttributeValue {
    const value = this.values[placeholder];
    if (value === undefined) throw new ExpressionError(`An expression attribute value used in expression is not defined; attribute value: ${placeholder}`);
    this.usedValues.add(placeholder);
    return value;
  }

  /** Throws like DynamoDB when a placeholder was given but no expression used it. */
  assertAllUsed(): void {
    const unusedNames = Object.keys(this.names).filter((name) => !this.usedNames.has(name));
    if (unusedNames.length > 0) throw new ExpressionError(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
    const unusedValues = Object.keys(this.values).filter((value) => !this.usedValues.has(value));
    if (unusedValues.length > 0) throw new ExpressionError(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  }
}

type Token = { kind: 'name' | 'hash' | 'colon' | 'punct' | 'number'; text: string };

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'SET', 'REMOVE', 'ADD', 'DELETE']);

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(<>|<=|>=|[=<>(),.[\]+-])|(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([0-9]+)|([A-Za-z_][A-Za-z0-9_]*))/y;
  let index = 0;
  while (index < expression.length) {
    if (/^\s*$/.test(expression.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(expression);
    if (match === null) throw new ExpressionError(`Invalid expression: syntax error near "${expression.slice(index, index + 10)}"`);
    index = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'punct', text: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: 'hash', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'colon', text: match[3] });
    else if (match[4] !== undefined) tokens.push({ kind: 'number', text: match[4] });
    else tokens.push({ kind: 'name', text: match[5] ?? '' });
  }
  return tokens;
}

type PathStep = string | number;
type Operand =
  | { kind: 'path'; path: PathStep[] }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; path: PathStep[] }
  | { kind: 'ifNotExists'; path: PathStep[]; fallback: Operand }
  | { kind: 'listAppend'; left: Operand; right: Operand }
  | { kind: 'arith'; op: '+' | '-'; left: Operand; right: Operand };
type Condition =
  | { kind: 'or' | 'and'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'cmp'; op: string; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'in'; subject: Operand; options: Operand[] }
  | { kind: 'fn'; name: string; args: Operand[] };

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly placeholders: ExpressionPlaceholders,
  ) {}

  get done(): boolean {
    return this.position >= this.tokens.length;
  }

  peek(): Token | undefined {
    return this.tokens[this.position];
  }

  isKeyword(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'name' && token.text.toUpperCase() === word;
  }

  take(text?: string): Token {
    const token = this.tokens[this.position];
    if (token === undefined) throw new ExpressionError('Invalid expression: unexpected end of input');
    if (text !== undefined && token.text.toUpperCase() !== text) throw new ExpressionError(`Invalid expression: expected ${text}, found ${token.text}`);
    this.position += 1;
    return token;
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('OR')) {
      this.take();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('AND')) {
      this.take();
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (this.isKeyword('NOT')) {
      this.take();
      return { kind: 'not', inner: this.negation() };
    }
    return this.primary();
  }

  private primary(): Condition {
    const token = this.peek();
    if (token?.kind === 'punct' && token.text === '(') {
      this.take();
      const inner = this.condition();
      this.take(')');
      return inner;
    }
    const next = this.tokens[this.position + 1];
    if (token?.kind === 'name' && next?.text === '(' && token.text !== 'size') {
      const name = token.text;
      if (!['attribute_exists', 'attribute_not_exists', 'begins_with', 'contains'].includes(name)) {
        throw new ExpressionError(`Invalid ConditionExpression: the simulation does not support the function ${name}`);
      }
      this.take();
      this.take('(');
      const args = [this.operand()];
      while (this.peek()?.text === ',') {
        this.take();
        args.push(this.operand());
      }
      this.take(')');
      return { kind: 'fn', name, args };
    }
    const left = this.operand();
    if (this.isKeyword('BETWEEN')) {
      this.take();
      const low = this.operand();
      this.take('AND');
      return { kind: 'between', subject: left, low, high: this.operand() };
    }
    if (this.isKeyword('IN')) {
      this.take();
      this.take('(');
      const options = [this.operand()];
      while (this.peek()?.text === ',') {
        this.take();
        options.push(this.operand());
      }
      this.take(')');
      return { kind: 'in', subject: left, options };
    }
    const op = this.take();
    if (!['=', '<>', '<', '<=', '>', '>='].includes(op.text)) throw new ExpressionError(`Invalid expression: expected a comparator, found ${op.text}`);
    return { kind: 'cmp', op: op.text, left, right: this.operand() };
  }

  operand(): Operand {
    const token = this.peek();
    if (token?.kind === 'colon') {
      this.take();
      return { kind: 'value', value: this.placeholders.value(token.text) };
    }
    if (token?.kind === 'name' && this.tokens[this.position + 1]?.text === '(') {
      this.take();
      this.take('(');
      let operand: Operand;
      if (token.text === 'size') operand = { kind: 'size', path: this.path() };
      else if (token.text === 'if_not_exists') {
        const path = this.path();
        this.take(',');
        operand = { kind: 'ifNotExists', path, fallback: this.operand() };
      } else if (token.text === 'list_append') {
        const left = this.operand();
        this.take(',');
        operand = { kind: 'listAppend', left, right: this.operand() };
      } else throw new ExpressionError(`Invalid expression: the simulation does not support the function ${token.text}`);
      this.take(')');
      return operand;
    }
    return { kind: 'path', path: this.path() };
  }

  /** An operand, optionally `a + b` or `a - b` (update expressions only). */
  valueExpression(): Operand {
    const left = this.operand();
    const op = this.peek();
    if (op?.kind === 'punct' && (op.text === '+' || op.text === '-')) {
      this.take();
      return { kind: 'arith', op: op.text, left, right: this.operand() };
    }
    return left;
  }

  path(): PathStep[] {
    const steps: PathStep[] = [this.pathName()];
    for (;;) {
      const token = this.peek();
      if (token?.text === '.') {
        this.take();
        steps.push(this.pathName());
      } else if (token?.text === '[') {
        this.take();
        const index = this.take();
        if (index.kind !== 'number') throw new ExpressionError('Invalid expression: list index must be a number');
        this.take(']');
        steps.push(Number(index.text));
      } else return steps;
    }
  }

  private pathName(): string {
    const token = this.take();
    if (token.kind === 'hash') return this.placeholders.name(token.text);
    if (token.kind === 'name' && !KEYWORDS.has(token.text.toUpperCase())) return token.text;
    throw new ExpressionError(`Invalid expression: expected an attribute name, found ${token.text}`);
  }
}

function resolvePath(item: DynamoItem | undefined, path: PathStep[]): AttributeValue | undefined {
  let current: AttributeValue | undefined = item === undefined ? undefined : { M: item };
  for (const step of path) {
    if (current === undefined) return undefined;
    if (typeof step === 'number') current = (current.L as AttributeValue[] | undefined)?.[step];
    else current = (current.M as DynamoItem | undefined)?.[step];
  }
  return current;
}

function evaluateOperand(operand: Operand, item: DynamoItem | undefined): AttributeValue | undefined {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path':
      return resolvePath(item, operand.path);
    case 'size': {
      const value = resolvePath(item, operand.path);
      if (value === undefined) return undefined;
      const inner = Object.values(value)[0];
      const size = typeof inner === 'string' ? inner.length : Array.isArray(inner) ? inner.length : typeof inner === 'object' && inner !== null ? Object.keys(inner).length : 0;
      return { N: String(size) };
    }
    case 'ifNotExists':
      return resolvePath(item, operand.path) ?? evaluateOperand(operand.fallback, item);
    case 'listAppend': {
      const left = evaluateOperand(operand.left, item)?.L;
      const right = evaluateOperand(operand.right, item)?.L;
      if (!Array.isArray(left) || !Array.isArray(right)) throw new ExpressionError('An operand in the update expression has an incorrect data type');
      return { L: [...left, ...right] };
    }
    case 'arith': {
      const left = evaluateOperand(operand.left, item)?.N;
      const right = evaluateOperand(operand.right, item)?.N;
      if (typeof left !== 'string' || typeof right !== 'string') throw new ExpressionError('An operand in the update expression has an incorrect data type');
      return { N: String(operand.op === '+' ? Number(left) + Number(right) : Number(left) - Number(right)) };
    }
  }
}

function sameValue(left: AttributeValue, right: AttributeValue): boolean {
  if (typeof left.N === 'string' && typeof right.N === 'string') return Number(left.N) === Number(right.N);
  return JSON.stringify(left) === JSON.stringify(right);
}

/** Orders two scalar values of the same type (S or N); undefined when they cannot be ordered. */
function order(left: AttributeValue, right: AttributeValue): number | undefined {
  if (typeof left.N === 'string' && typeof right.N === 'string') return Number(left.N) - Number(right.N);
  if (typeof left.S === 'string' && typeof right.S === 'string') return left.S < right.S ? -1 : left.S > right.S ? 1 : 0;
  return undefined;
}

function compare(op: string, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  if (left === undefined || right === undefined) return false;
  if (op === '=') return sameValue(left, right);
  if (op === '<>') return !sameValue(left, right);
  const ordered = order(left, right);
  if (ordered === undefined) return false;
  return op === '<' ? ordered < 0 : op === '<=' ? ordered <= 0 : op === '>' ? ordered > 0 : ordered >= 0;
}

function evaluate(condition: Condition, item: DynamoItem | undefined): boolean {
  switch (condition.kind) {
    case 'or':
      return evaluate(condition.left, item) || evaluate(condition.right, item);
    case 'and':
      return evaluate(condition.left, item) && evaluate(condition.right, item);
    case 'not':
      return !evaluate(condition.inner, item);
    case 'cmp':
      return compare(condition.op, evaluateOperand(condition.left, item), evaluateOperand(condition.right, item));
    case 'between':
      return compare('>=', evaluateOperand(condition.subject, item), evaluateOperand(condition.low, item)) && compare('<=', evaluateOperand(condition.subject, item), evaluateOperand(condition.high, item));
    case 'in': {
      const subject = evaluateOperand(condition.subject, item);
      return condition.options.some((option) => compare('=', subject, evaluateOperand(option, item)));
    }
    case 'fn': {
      const [first, second] = condition.args;
      if (first?.kind !== 'path') throw new ExpressionError(`Invalid ConditionExpression: ${condition.name} needs an attribute path as its first argument`);
      const subject = resolvePath(item, first.path);
      if (condition.name === 'attribute_exists') return subject !== undefined;
      if (condition.name === 'attribute_not_exists') return subject === undefined;
      const operand = second === undefined ? undefined : evaluateOperand(second, item);
      if (subject === undefined || operand === undefined) return false;
      if (condition.name === 'begins_with') return typeof subject.S === 'string' && typeof operand.S === 'string' && subject.S.startsWith(operand.S);
      // contains
      if (typeof subject.S === 'string' && typeof operand.S === 'string') return subject.S.includes(operand.S);
      const members = (subject.L ?? subject.SS ?? subject.NS) as unknown[] | undefined;
      return Array.isArray(members) && members.some((member) => JSON.stringify(member) === JSON.stringify(operand.L === undefined ? (operand.S ?? operand.N) : operand));
    }
  }
}

/** Parses a condition expression; throws {@link ExpressionError} when it is malformed or unsupported. */
export function parseCondition(expression: string, placeholders: ExpressionPlaceholders): (item: DynamoItem | undefined) => boolean {
  const parser = new Parser(tokenize(expression), placeholders);
  const condition = parser.condition();
  if (!parser.done) throw new ExpressionError(`Invalid ConditionExpression: unexpected ${parser.peek()?.text}`);
  return (item) => evaluate(condition, item);
}

/** A key condition: the partition key value and an optional sort key condition. */
export interface KeyCondition {
  readonly partitionKey: { readonly name: string; readonly value: AttributeValue };
  readonly sortKey?: (value: AttributeValue | undefined) => boolean;
  readonly sortKeyName?: string;
}

/** Parses a KeyConditionExpression: `pk = :v` optionally `AND` a condition on the sort key (=, <, <=, >, >=, BETWEEN, begins_with). */
export function parseKeyCondition(expression: string, placeholders: ExpressionPlaceholders, partitionKeyName: string, sortKeyName?: string): KeyCondition {
  const parser = new Parser(tokenize(expression), placeholders);
  const condition = parser.condition();
  if (!parser.done) throw new ExpressionError(`Invalid KeyConditionExpression: unexpected ${parser.peek()?.text}`);
  const parts = condition.kind === 'and' ? [condition.left, condition.right] : [condition];
  let partitionKey: KeyCondition['partitionKey'] | undefined;
  let sortKey: Condition | undefined;
  for (const part of parts) {
    const subject = part.kind === 'cmp' ? part.left : part.kind === 'between' ? part.subject : part.kind === 'fn' ? part.args[0] : undefined;
    const attribute = subject?.kind === 'path' && subject.path.length === 1 ? subject.path[0] : undefined;
    if (attribute === partitionKeyName && part.kind === 'cmp' && part.op === '=' && part.right.kind === 'value') {
      partitionKey = { name: partitionKeyName, value: part.right.value };
    } else if (attribute !== undefined && attribute === sortKeyName && (part.kind === 'cmp' || part.kind === 'between' || (part.kind === 'fn' && part.name === 'begins_with'))) {
      sortKey = part;
    } else {
      throw new ExpressionError('Query key condition not supported');
    }
  }
  if (partitionKey === undefined) throw new ExpressionError(`Query condition missed key schema element: ${partitionKeyName}`);
  const sortCondition = sortKey;
  return {
    partitionKey,
    ...(sortCondition === undefined || sortKeyName === undefined
      ? {}
      : { sortKeyName, sortKey: (value: AttributeValue | undefined) => evaluate(sortCondition, value === undefined ? undefined : { [sortKeyName]: value }) }),
  };
}

/** Applies an update expression (SET, REMOVE) to a copy of the item; throws {@link ExpressionError} for anything else. */
export function applyUpdate(expression: string, placeholders: ExpressionPlaceholders, item: DynamoItem): DynamoItem {
  const parser = new Parser(tokenize(expression), placeholders);
  const updated: DynamoItem = structuredClone(item);
  const seen = new Set<string>();
  while (!parser.done) {
    const clause = parser.take().text.toUpperCase();
    if (clause !== 'SET' && clause !== 'REMOVE') throw new ExpressionError(`Invalid UpdateExpression: the simulation does not support ${clause}`);
    if (seen.has(clause)) throw new ExpressionError(`Invalid UpdateExpression: The "${clause}" section can only be used once in an update expression`);
    seen.add(clause);
    for (;;) {
      const path = parser.path();
      if (path.length !== 1 || typeof path[0] !== 'string') throw new ExpressionError('Invalid UpdateExpression: the simulation updates top-level attributes only');
      const name = path[0];
      if (clause === 'SET') {
        parser.take('=');
        const value = evaluateOperand(parser.valueExpression(), item);
        if (value === undefined) throw new ExpressionError('The provided expression refers to an attribute that does not exist in the item');
        updated[name] = structuredClone(value);
      } else {
        delete updated[name];
      }
      if (parser.peek()?.text !== ',') break;
      parser.take();
    }
  }
  return updated;
}
