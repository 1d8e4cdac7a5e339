/** The corpus check's pure parts (the live run is `npm run test:differential`). */
import { fromObjects } from '../../lib/manifest/objects';
import { corpusCases, corpusPassed, corpusReport, privateNamespaces, summarize, type CorpusResult } from './corpus';
import { resultTable, table } from './report';

describe('corpus check', () => {
  test('every corpus file is a case, fail-* must fail and pass-* must pass', () => {
    const cases = corpusCases();
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) expect(c.expect).toBe(c.file.split('/').pop()?.startsWith('fail') ? 'fail' : 'pass');
  });

  test('valid namespaces become private to the file; invalid names and cluster-scoped objects stay', () => {
    const { objects } = fromObjects([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'Bad_NS' } },
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } },
    ]);
    const r = privateNamespaces(objects, 7);
    expect(r.objects.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([
      ['Namespace', 'nkd-c7-shop', undefined], ['Service', 'a', 'nkd-c7-shop'], ['ConfigMap', 'b', 'Bad_NS'], ['Node', 'n1', undefined],
    ]);
    expect(r.namespaces).toEqual(['nkd-c7-shop']);
    // The input is not modified.
    expect(objects[1].raw.metadata).toEqual({ name: 'a', namespace: 'shop' });
  });

  test('counts and pass/fail: a rejected must-fail we do not flag, or a rejected near miss, fails', () => {
    const r = (rule: string, expect: 'fail' | 'pass', rejections: string[], flagged: boolean, notChecked?: string): CorpusResult => ({
      case: { rule, file: `/x/test/rules/corpus/${rule}/${expect}-a.yaml`, expect }, rejections, flagged, ...(notChecked ? { notChecked } : {}),
    });
    const ok = [r('labels-invalid', 'fail', ['Service a: 422'], true), r('pod-host-network', 'fail', [], true), r('labels-invalid', 'pass', [], false), r('service-nodeport-conflict', 'fail', [], true, 'held')];
    const s = summarize(ok);
    expect([s.mustFail, s.mustPass, s.notChecked, s.rejectedByServer, s.flaggedByUs]).toEqual([2, 1, 1, 1, 2]);
    expect(corpusPassed(ok)).toBe(true);
    expect(corpusReport(ok)).toContain('rejected by the API server: 1, flagged by us: 2, rejected but not flagged: 0');
    expect(corpusPassed([...ok, r('object-name-invalid', 'fail', ['ConfigMap b: 422'], false)])).toBe(false);
    expect(corpusPassed([...ok, r('service-invalid', 'pass', ['Service a: 422'], false)])).toBe(false);
  });

  test('the text table lines up its columns', () => {
    expect(table([['a', 'bb'], ['ccc', 'd']]).split('\n')).toEqual(['a    bb', '---  --', 'ccc  d']);
    expect(resultTable([])).toContain('scenario');
  });
});
