import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../lib/rules';
import { renderRulesDoc } from '../../lib/rules/docs';

describe('docs/rules.md', () => {
  test('is up to date with the rules (run `npm run docs` to regenerate)', () => {
    const file = path.join(__dirname, '../../docs/rules.md');
    expect(fs.readFileSync(file, 'utf8')).toBe(renderRulesDoc());
  });

  test('documents every rule with its severity, why and fix', () => {
    const doc = renderRulesDoc();
    for (const r of RULES) {
      expect(doc).toContain(`### ${r.id}\n\n**Severity:** ${r.severity}`);
      expect(doc).toContain(r.why);
      expect(doc).toContain(r.fix);
    }
  });
});

describe('docs/validate.md', () => {
  const section = fs.readFileSync(path.join(__dirname, '../../docs/validate.md'), 'utf8');

  test('states the current rule count and links the generated docs', () => {
    expect(section).toContain(`runs ${RULES.length} rules`);
    expect(section).toContain('(rules.md)');
  });

  test('names only rules that exist', () => {
    const ids = new Set(RULES.map((r) => r.id));
    const named = [...section.matchAll(/^\s+([a-z0-9-]+): (?:off|error|warning|info)\b/gm), ...section.matchAll(/netkit\.io\/suppress\.([a-z0-9-]+)/g), ...section.matchAll(/--rule ([a-z0-9-]+)=/g)]
      .map((m) => m[1]).filter((id) => id !== 'failOn');
    expect(named.length).toBeGreaterThan(2);
    expect(named.filter((id) => !ids.has(id))).toEqual([]);
  });
});
