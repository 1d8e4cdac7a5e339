/**
 * Label selectors in their string form (`kubectl get pods -l ...`), parsed and matched as
 * `k8s.io/apimachinery/pkg/labels/selector.go` does: comma-separated requirements, each one of
 * `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`,
 * `key>N`, `key<N`. Keys must be qualified names and values label values, as upstream validates.
 */
import { labelValueProblems, qualifiedNameProblems } from './names';

/** The operator of one requirement (upstream `selection.Operator`). */
export type SelectorOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

/** One requirement of a selector. */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** The values (a single one for `=`, `==`, `!=`, `gt`, `lt`; none for `exists` and `!`). */
  readonly values: readonly string[];
}

/** A parsed selector: every requirement must hold (an empty selector matches everything). */
export interface LabelSelector {
  /** The text it was parsed from. */
  readonly text: string;
  readonly requirements: readonly SelectorRequirement[];
}

/** A selector string that does not parse or names an invalid key or value. */
export class SelectorSyntaxError extends Error {
  constructor(
    /** The selector text. */
    public readonly selector: string,
    /** What is wrong. */
    public readonly problem: string,
  ) {
    super(`invalid label selector ${JSON.stringify(selector)}: ${problem}`);
    this.name = 'SelectorSyntaxError';
  }
}

type Token =
  | { readonly kind: 'id'; readonly text: string }
  | { readonly kind: '!' | '!=' | '=' | '==' | '(' | ')' | ',' | '>' | '<' | 'in' | 'notin' | 'end'; readonly text: string };

const SPECIAL = new Set(['!', '=', '(', ')', ',', '>', '<']);
const SPACE = /\s/;

/** The lexer of selector.go: identifiers are runs of anything but whitespace and `!=(),<>`. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (SPACE.test(c)) {
      i++;
    } else if (SPECIAL.has(c)) {
      const two = text.slice(i, i + 2);
      if (two === '!=' || two === '==') {
        out.push({ kind: two, text: two });
        i += 2;
      } else {
        out.push({ kind: c as '!' | '=' | '(' | ')' | ',' | '>' | '<', text: c });
        i++;
      }
    } else {
      let j = i;
      while (j < text.length && !SPACE.test(text[j]) && !SPECIAL.has(text[j])) j++;
      const word = text.slice(i, j);
      out.push(word === 'in' || word === 'notin' ? { kind: word, text: word } : { kind: 'id', text: word });
      i = j;
    }
  }
  out.push({ kind: 'end', text: 'end of string' });
  return out;
}

/**
 * Parse a selector string. The empty string (or only whitespace) is the selector that matches
 * everything, as upstream.
 * @throws SelectorSyntaxError with what is wrong
 */
export function parseSelector(text: string): LabelSelector {
  const tokens = tokenize(text);
  let pos = 0;
  const fail = (problem: string): never => {
    throw new SelectorSyntaxError(text, problem);
  };
  const peek = (): Token => tokens[pos];
  const next = (): Token => tokens[pos++];
  const describe = (t: Token): string => (t.kind === 'end' ? 'end of string' : `'${t.text}'`);
  // In value position the keywords are plain words (upstream's Values parser context).
  const asValue = (t: Token): string | undefined => (t.kind === 'id' || t.kind === 'in' || t.kind === 'notin' ? t.text : undefined);

  const requirements: SelectorRequirement[] = [];
  if (peek().kind === 'end') return { text, requirements };
  for (;;) {
    let negated = false;
    if (peek().kind === '!') {
      next();
      negated = true;
    }
    const keyToken = next();
    if (keyToken.kind !== 'id') fail(`found ${describe(keyToken)}, expected a label key`);
    const key = keyToken.text;
    const keyProblems = qualifiedNameProblems(key);
    if (keyProblems.length > 0) fail(`key ${JSON.stringify(key)}: ${keyProblems.join('; ')}`);

    let requirement: SelectorRequirement;
    const after = peek();
    if (negated || after.kind === ',' || after.kind === 'end') {
      requirement = { key, operator: negated ? '!' : 'exists', values: [] };
    } else {
      const op = next();
      if (op.kind === 'in' || op.kind === 'notin') {
        const open = next();
        if (open.kind !== '(') fail(`found ${describe(open)}, expected '(' after ${op.text}`);
        const values: string[] = [];
        // `key in ()` is the set with the empty value; an empty slot between commas is "" too.
        let expectValue = true;
        for (;;) {
          const t = next();
          if (t.kind === ')') {
            if (expectValue) values.push('');
            break;
          }
          if (t.kind === ',') {
            if (expectValue) values.push('');
            expectValue = true;
            continue;
          }
          const v = asValue(t);
          if (v === undefined || !expectValue) fail(`found ${describe(t)}, expected a value, ',' or ')' in the ${op.text} list of ${key}`);
          values.push(v!);
          expectValue = false;
        }
        requirement = { key, operator: op.kind, values };
      } else if (op.kind === '=' || op.kind === '==' || op.kind === '!=' || op.kind === '>' || op.kind === '<') {
        const t = peek();
        let value = '';
        if (t.kind !== ',' && t.kind !== 'end') {
          const v = asValue(next());
          if (v === undefined) fail(`found ${describe(t)}, expected a value after ${key}${op.text}`);
          value = v!;
        }
        const operator: SelectorOperator = op.kind === '>' ? 'gt' : op.kind === '<' ? 'lt' : op.kind;
        if ((operator === 'gt' || operator === 'lt') && !/^-?\d+$/.test(value)) {
          fail(`${key}${op.text}${value}: the value of '${op.text}' must be an integer`);
        }
        requirement = { key, operator, values: [value] };
      } else {
        fail(`found ${describe(op)} after ${key}, expected one of '=', '==', '!=', 'in', 'notin', '>', '<', ',' or end of string`);
      }
    }
    if (requirement!.operator !== 'gt' && requirement!.operator !== 'lt') {
      for (const v of requirement!.values) {
        const problems = labelValueProblems(v);
        if (problems.length > 0) fail(`value ${JSON.stringify(v)} of ${key}: ${problems.join('; ')}`);
      }
    }
    requirements.push(requirement!);
    const sep = next();
    if (sep.kind === 'end') break;
    if (sep.kind !== ',') fail(`found ${describe(sep)}, expected ',' or end of string`);
  }
  return { text, requirements };
}

/** True when `labels` satisfy `requirement` (upstream `Requirement.Matches`). */
export function matchesRequirement(requirement: SelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = has ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'in':
    case '=':
    case '==':
      return has && requirement.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !requirement.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      // Both sides must be integers; a label that is not one never matches (as upstream).
      if (!has || !/^-?\d+$/.test(value!)) return false;
      const left = BigInt(value!);
      const right = BigInt(requirement.values[0]);
      return requirement.operator === 'gt' ? left > right : left < right;
    }
  }
}

/** True when `labels` satisfy every requirement of `selector`. */
export function matchesLabelSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  return selector.requirements.every((r) => matchesRequirement(r, labels));
}

/**
 * True when `text` reads as a selector rather than a name: it has an operator (`=`, `!`, `<`,
 * `>`, `in (`/`notin (`). A bare key (`app`, the "exists" form) is read as a name by callers that
 * accept both, since `ns/name` and a prefixed key look alike.
 */
export function looksLikeSelector(text: string): boolean {
  return /[=!<>]/.test(text) || /\s(in|notin)\s*\(/.test(text);
}
