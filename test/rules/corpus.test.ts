/**
 * The rule corpus: test/rules/corpus/<rule-id>/fail-*.yaml must raise that rule, and
 * pass-*.yaml (a near miss) must not. Every rule needs at least one of each.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadManifests } from '../../lib/manifest';
import { RULES, runRules } from '../../lib/rules';

const CORPUS = path.join(__dirname, 'corpus');

interface Case { rule: string; file: string; expect: 'fail' | 'pass' }

const cases: Case[] = fs.readdirSync(CORPUS).sort().flatMap((rule) =>
  fs.readdirSync(path.join(CORPUS, rule)).sort().map((file) => ({
    rule, file: path.join(CORPUS, rule, file), expect: file.startsWith('fail') ? 'fail' as const : 'pass' as const,
  })));

describe('rule corpus', () => {
  test('every rule has a failing manifest and a passing near miss, and every folder is a rule', () => {
    for (const r of RULES) {
      expect(cases.filter((c) => c.rule === r.id && c.expect === 'fail').length).toBeGreaterThan(0);
      expect(cases.filter((c) => c.rule === r.id && c.expect === 'pass').length).toBeGreaterThan(0);
    }
    const ids = new Set(RULES.map((r) => r.id));
    expect(cases.filter((c) => !ids.has(c.rule)).map((c) => c.rule)).toEqual([]);
    expect(cases.every((c) => /^(fail|pass)-[a-z0-9-]+\.yaml$/.test(path.basename(c.file)))).toBe(true);
  });

  test.each(cases.map((c) => [`${c.rule}/${path.basename(c.file)}`, c] as const))('%s', (_name, c) => {
    const loaded = loadManifests([c.file]);
    expect(loaded.errors.map(String)).toEqual([]);
    const found = runRules(loaded.objects).violations.filter((v) => v.ruleId === c.rule);
    if (c.expect === 'fail') {
      expect(found.length).toBeGreaterThan(0);
      for (const v of found) {
        expect(v.source?.file).toBe(c.file);
        expect(v.message.length).toBeGreaterThan(0);
      }
    } else {
      expect(found.map((v) => `${v.path}: ${v.message}`)).toEqual([]);
    }
  });
});
