import { dns1035LabelProblems, dns1123LabelProblems, dns1123SubdomainProblems, ianaSvcNameProblems, labelValueProblems, qualifiedNameProblems } from '../../lib/k8s/names';

describe('name rules', () => {
  test.each([
    ['web', true], ['web-1', true], ['a', true], ['1web', false], ['web-', false], ['Web', false], ['we_b', false], ['a'.repeat(63), true], ['a'.repeat(64), false],
  ])('DNS-1035 label %s -> %s', (value, valid) => {
    expect(dns1035LabelProblems(value).length === 0).toBe(valid);
  });

  test.each([
    ['1web', true], ['web.v2', false], ['-web', false], ['', false],
  ])('DNS-1123 label %s -> %s', (value, valid) => {
    expect(dns1123LabelProblems(value).length === 0).toBe(valid);
  });

  test.each([
    ['db.example.com', true], ['db..example.com', false], ['DB.example.com', false], ['a'.repeat(254), false],
  ])('DNS-1123 subdomain %s -> %s', (value, valid) => {
    expect(dns1123SubdomainProblems(value).length === 0).toBe(valid);
  });

  test.each([
    ['http', true], ['grpc-web', true], ['h2c', true], ['8080', false], ['-http', false], ['http-', false], ['a--b', false],
    ['abcdefghijklmno', true], ['abcdefghijklmnop', false], ['HTTP', false],
  ])('IANA_SVC_NAME %s -> %s', (value, valid) => {
    expect(ianaSvcNameProblems(value).length === 0).toBe(valid);
  });

  test.each([
    ['app', true], ['app.kubernetes.io/name', true], ['kubernetes.io/h2c', true], ['/name', false], ['a/b/c', false], ['-app', false], ['Example.com/x', false],
  ])('qualified name %s -> %s', (value, valid) => {
    expect(qualifiedNameProblems(value).length === 0).toBe(valid);
  });

  test('qualified name messages on both sides of the unprefixed fast path', () => {
    const chars = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    const cases: [string, string[]][] = [
      ['', ['name part must be non-empty']], ['app', []], ['a'.repeat(63), []], ['a'.repeat(64), ['name part must be no more than 63 characters']],
      ['_a', [chars]], ['a_', [chars]], ['a.b-c_d', []], ['A9', []], ['a b', [chars]], ['é', [chars]],
      ['a/', ['name part must be non-empty']], ['/a', ['prefix part must be non-empty']],
      [`x.io/${'a'.repeat(64)}`, ['name part must be no more than 63 characters']],
      ['x/y/z', ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/'"]],
    ];
    for (const [value, problems] of cases) expect(qualifiedNameProblems(value)).toEqual(problems);
  });

  test.each([
    ['', true], ['v1.2_3-a', true], ['-a', false], ['a b', false], ['a'.repeat(64), false],
  ])('label value %s -> %s', (value, valid) => {
    expect(labelValueProblems(value).length === 0).toBe(valid);
  });
});
