/** `npm run docs`: write docs/rules.md from the rule registry. */
import * as fs from 'fs';
import * as path from 'path';
import { renderRulesDoc } from '../lib/rules/docs';

const file = path.join(__dirname, '..', 'docs', 'rules.md');
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, renderRulesDoc());
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
