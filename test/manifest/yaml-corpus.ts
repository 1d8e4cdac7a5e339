/** The YAML files of this repository's tests and examples: the corpus the block-style readers are compared on. */
import * as fs from 'fs';
import * as path from 'path';

export function repoYamlFiles(): string[] {
  const root = path.join(__dirname, '..', '..');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); } else if (/\.ya?ml$/.test(e.name)) files.push(p);
    }
  };
  walk(path.join(root, 'test'));
  walk(path.join(root, 'examples'));
  return files;
}
