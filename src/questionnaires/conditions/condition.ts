/**
 * Display conditions of questionnaire questions: a small boolean language over answers.
 *
 *   expr       := or
 *   or         := and ( '||' and )*
 *   and        := unary ( '&&' unary )*
 *   unary      := '!' unary | '(' expr ')' | comparison
 *   comparison := ref [ op value ]
 *   op         := '==' | '!=' | '<' | '<=' | '>' | '>=' | 'has'
 *   value      := 'text' | "text" | number | identifier (an option key)
 *
 * A bare `ref` is true when the question has a favourable answer: answered, and not
 * `no`, `na`, `false`, empty or zero. `has` tests whether a multi-choice answer holds an
 * option. A comparison against an unanswered question is false (and `!=` true).
 * Pure: parse once when a module is loaded, evaluate on every change.
 */

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'has';

export type ConditionNode =
  | { kind: 'or' | 'and'; items: ConditionNode[] }
  | { kind: 'not'; item: ConditionNode }
  | { kind: 'ref'; key: string }
  | { kind: 'compare'; key: string; op: CompareOp; value: string | number };

export type AnswerValue = string | number | boolean | string[] | null | undefined;

export class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    public readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = 'ConditionSyntaxError';
  }
}

type Token =
  | { t: 'op'; v: '&&' | '||' | '!' | '(' | ')' | CompareOp; pos: number }
  | { t: 'ident'; v: string; pos: number }
  | { t: 'string'; v: string; pos: number }
  | { t: 'number'; v: number; pos: number };

const IDENT = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const NUMBER = /-?\d+(\.\d+)?/y;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['&&', '||', '==', '!=', '<=', '>='].includes(two)) {
      tokens.push({ t: 'op', v: two as Token['v'] & string, pos: i } as Token);
      i += 2;
      continue;
    }
    if ('!()<>'.includes(c)) {
      tokens.push({ t: 'op', v: c as '!' | '(' | ')' | '<' | '>', pos: i });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ConditionSyntaxError('unterminated string', i);
      tokens.push({ t: 'string', v: src.slice(i + 1, end), pos: i });
      i = end + 1;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(src);
    if (num && (c === '-' || /\d/.test(c))) {
      tokens.push({ t: 'number', v: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(src);
    if (id) {
      if (id[0] === 'has') tokens.push({ t: 'op', v: 'has', pos: i });
      else tokens.push({ t: 'ident', v: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    throw new ConditionSyntaxError(`unexpected character '${c}'`, i);
  }
  return tokens;
}

export function parseCondition(src: string): ConditionNode {
  const tokens = tokenize(src);
  let p = 0;
  const peek = () => tokens[p];
  const isOp = (v: string) => peek()?.t === 'op' && peek()!.v === v;
  const end = () => (tokens.length ? tokens[tokens.length - 1].pos + 1 : 0);

  const parseOr = (): ConditionNode => {
    const items = [parseAnd()];
    while (isOp('||')) {
      p++;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  };
  const parseAnd = (): ConditionNode => {
    const items = [parseUnary()];
    while (isOp('&&')) {
      p++;
      items.push(parseUnary());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  };
  const parseUnary = (): ConditionNode => {
    const tok = peek();
    if (!tok) throw new ConditionSyntaxError('expression expected', end());
    if (isOp('!')) {
      p++;
      return { kind: 'not', item: parseUnary() };
    }
    if (isOp('(')) {
      p++;
      const inner = parseOr();
      if (!isOp(')')) throw new ConditionSyntaxError("')' expected", peek()?.pos ?? end());
      p++;
      return inner;
    }
    if (tok.t !== 'ident') throw new ConditionSyntaxError('question key expected', tok.pos);
    p++;
    const next = peek();
    if (next?.t === 'op' && ['==', '!=', '<', '<=', '>', '>=', 'has'].includes(next.v)) {
      p++;
      const value = peek();
      if (!value || value.t === 'op') throw new ConditionSyntaxError('value expected', value?.pos ?? end());
      p++;
      return { kind: 'compare', key: tok.v, op: next.v as CompareOp, value: value.v };
    }
    return { kind: 'ref', key: tok.v };
  };

  const node = parseOr();
  if (p < tokens.length) throw new ConditionSyntaxError(`unexpected '${String(tokens[p].v)}'`, tokens[p].pos);
  return node;
}

/** Every question key a condition reads. */
export function referencedKeys(node: ConditionNode): string[] {
  switch (node.kind) {
    case 'or':
    case 'and':
      return [...new Set(node.items.flatMap(referencedKeys))];
    case 'not':
      return referencedKeys(node.item);
    default:
      return [node.key];
  }
}

const UNFAVOURABLE = new Set(['', 'no', 'na', 'false']);

function isFavourable(v: AnswerValue): boolean {
  if (v === null || v === undefined || v === false || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  return !UNFAVOURABLE.has(String(v).trim().toLowerCase());
}

function compare(v: AnswerValue, op: CompareOp, target: string | number): boolean {
  const answered = !(v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0));
  if (!answered) return op === '!=';
  if (op === 'has' || Array.isArray(v)) {
    const list = Array.isArray(v) ? v.map(String) : [String(v)];
    const has = list.includes(String(target));
    return op === '!=' ? !has : op === '==' || op === 'has' ? has : false;
  }
  if (op === '==') return String(v) === String(target);
  if (op === '!=') return String(v) !== String(target);
  const a = typeof target === 'number' ? Number(v) : String(v);
  const b = typeof target === 'number' ? target : String(target);
  if (typeof a === 'number' && Number.isNaN(a)) return false;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

export function evaluateCondition(node: ConditionNode, answers: Readonly<Record<string, AnswerValue>>): boolean {
  switch (node.kind) {
    case 'or':
      return node.items.some((n) => evaluateCondition(n, answers));
    case 'and':
      return node.items.every((n) => evaluateCondition(n, answers));
    case 'not':
      return !evaluateCondition(node.item, answers);
    case 'ref':
      return isFavourable(answers[node.key]);
    case 'compare':
      return compare(answers[node.key], node.op, node.value);
  }
}
