import { looksLikeSelector, matchesLabelSelector, parseSelector, SelectorSyntaxError } from '../../lib/k8s/selector';

/** Parse and match in one step. */
function sel(text: string, labels: Record<string, string>): boolean {
  return matchesLabelSelector(parseSelector(text), labels);
}

// Cases follow k8s.io/apimachinery/pkg/labels/selector_test.go (TestSelectorMatches, TestLexer, TestParse).
describe('label selector strings (k8s.io/apimachinery/pkg/labels/selector.go)', () => {
  test('parses every operator into requirements', () => {
    expect(parseSelector('app!=db').requirements).toEqual([{ key: 'app', operator: '!=', values: ['db'] }]);
    expect(parseSelector('x=a,y==b, z != c').requirements).toEqual([
      { key: 'x', operator: '=', values: ['a'] },
      { key: 'y', operator: '==', values: ['b'] },
      { key: 'z', operator: '!=', values: ['c'] },
    ]);
    expect(parseSelector('env in (prod, staging),tier notin (cache)').requirements).toEqual([
      { key: 'env', operator: 'in', values: ['prod', 'staging'] },
      { key: 'tier', operator: 'notin', values: ['cache'] },
    ]);
    expect(parseSelector('canary,!legacy').requirements).toEqual([
      { key: 'canary', operator: 'exists', values: [] },
      { key: 'legacy', operator: '!', values: [] },
    ]);
    expect(parseSelector('gen>1,gen<10').requirements.map((r) => r.operator)).toEqual(['gt', 'lt']);
    expect(parseSelector('app.kubernetes.io/name=web').requirements[0].key).toBe('app.kubernetes.io/name');
  });

  test('empty values: key=, key in ()', () => {
    expect(parseSelector('x=').requirements).toEqual([{ key: 'x', operator: '=', values: [''] }]);
    expect(parseSelector('x in ()').requirements).toEqual([{ key: 'x', operator: 'in', values: [''] }]);
    expect(sel('x=', { x: '' })).toBe(true);
    expect(sel('x=', { x: 'a' })).toBe(false);
  });

  test('the keywords in and notin are plain values after an operator', () => {
    expect(parseSelector('x=in').requirements[0].values).toEqual(['in']);
    expect(parseSelector('x in (notin)').requirements[0].values).toEqual(['notin']);
  });

  test('matches as upstream Requirement.Matches', () => {
    expect(sel('', { a: 'b' })).toBe(true);
    expect(sel('app!=db', { app: 'web' })).toBe(true);
    expect(sel('app!=db', { app: 'db' })).toBe(false);
    expect(sel('app!=db', {})).toBe(true); // != and notin match when the key is absent
    expect(sel('env notin (prod)', {})).toBe(true);
    expect(sel('env notin (prod)', { env: 'prod' })).toBe(false);
    expect(sel('env in (prod,dev)', { env: 'dev' })).toBe(true);
    expect(sel('env in (prod,dev)', {})).toBe(false);
    expect(sel('canary', { canary: '' })).toBe(true);
    expect(sel('canary', {})).toBe(false);
    expect(sel('!canary', {})).toBe(true);
    expect(sel('!canary', { canary: 'x' })).toBe(false);
    expect(sel('x=a,y=b', { x: 'a', y: 'b' })).toBe(true);
    expect(sel('x=a,y=b', { x: 'a', y: 'c' })).toBe(false);
    expect(sel('gen>1', { gen: '2' })).toBe(true);
    expect(sel('gen>1', { gen: '1' })).toBe(false);
    expect(sel('gen<10', { gen: '-3' })).toBe(true);
    expect(sel('gen>1', { gen: 'two' })).toBe(false); // not an integer: never matches
  });

  test('bad selectors are errors that say what is wrong', () => {
    const bad = (text: string, problem: RegExp) => {
      let error: unknown;
      try {
        parseSelector(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SelectorSyntaxError);
      expect((error as Error).message).toMatch(problem);
    };
    bad('x=a||y=b', /value "a\|\|y" of x/);
    bad('!x=a', /found '=', expected ','/);
    bad('x in a', /expected '\(' after in/);
    bad('x in (a', /expected a value, ',' or '\)'/);
    bad('x=a,', /found end of string, expected a label key/);
    bad('-bad=a', /key "-bad"/);
    bad('x=a/b', /value "a\/b" of x/);
    bad('gen>one', /must be an integer/);
    bad('in=a', /expected a label key/);
    bad('x ~ a', /found '~' after x/);
  });

  test('looksLikeSelector tells requirements from pod and Service names', () => {
    for (const s of ['app=web', 'app!=db', '!canary', 'env in (a)', 'env notin (a,b)', 'gen>1']) expect(looksLikeSelector(s)).toBe(true);
    for (const s of ['shop/web-0', 'web', 'checkout-v2', 'pod:default/a', 'external:1.2.3.4']) expect(looksLikeSelector(s)).toBe(false);
  });
});
