/** Renders docs/rules.md from the rule registry (`npm run docs`); a test keeps the file current. */
import { RULES } from './registry';
import type { Rule, RuleFamily } from './types';
import { SUPPRESS_PREFIX } from './suppress';

const FAMILY_TITLES: Readonly<Record<RuleFamily, string>> = {
  'api-server': 'The API server rejects it',
  'routing': 'Accepted, but routes wrong',
  'exposure': 'Exposure',
  'validator': 'The validator itself',
};

/** The Markdown of docs/rules.md for `rules`. */
export function renderRulesDoc(rules: readonly Rule[] = RULES): string {
  const out: string[] = [
    '# netkit rules',
    '',
    '<!-- Generated from lib/rules by `npm run docs`. Do not edit by hand. -->',
    '',
    `${rules.length} rules. Each is a query over the manifests and the simulated cluster built from them (lib/engine).`,
    'Severities are defaults; change them per rule in the plugin properties (`rules: {<id>: off|error|warning|info}`)',
    `or with \`netkit validate --rule <id>=<setting>\`. Suppress one object with the annotation \`${SUPPRESS_PREFIX}<id>: "<reason>"\`;`,
    'the reason is required.',
    '',
    '| Rule | Severity | Summary |',
    '|---|---|---|',
    ...rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${escapeCell(r.summary)} |`),
    '',
  ];
  for (const family of Object.keys(FAMILY_TITLES) as RuleFamily[]) {
    const inFamily = rules.filter((r) => r.family === family);
    if (inFamily.length === 0) continue;
    out.push(`## ${FAMILY_TITLES[family]}`, '');
    for (const r of inFamily) {
      out.push(`### ${r.id}`, '', `**Severity:** ${r.severity}`, '', r.summary, '', `**Why:** ${r.why}`, '', `**Fix:** ${r.fix}`, '', `**Mirrors:** ${r.mirrors}`, '');
    }
  }
  return out.join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
