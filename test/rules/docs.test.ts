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
