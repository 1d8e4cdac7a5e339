/**
 * Runs `netkit apply` and `netkit verify --live` in-process for each kubeconfig named on stdin
 * (JSON: `{ dir, cases: [{ name, kubeconfig }] }`) with the real client library, which jest
 * cannot load (it ships as ES modules): secrets.test.ts starts this once under ts-node and
 * checks what each run printed. Prints `{ name, apply: {code, text}, verify: {code, text} }[]` as JSON.
 */
import * as fs from 'fs';
import { runApply } from '../../lib/cli/apply';
import { runVerify } from '../../lib/cli/verify';

interface Case { readonly name: string; readonly kubeconfig: string }

function capture(): { io: { stdout: { write(s: string): boolean }; stderr: { write(s: string): boolean } }; text: () => string } {
  const out: string[] = [];
  const w = { write: (s: string): boolean => { out.push(s); return true; } };
  return { io: { stdout: w, stderr: w }, text: () => out.join('') };
}

async function main(): Promise<void> {
  const spec = JSON.parse(fs.readFileSync(0, 'utf8')) as { dir: string; cases: Case[] };
  const results = [];
  for (const c of spec.cases) {
    const a = capture();
    const applyCode = await runApply([spec.dir], { applyset: 'shop', namespace: 'shop', kubeconfig: c.kubeconfig, wait: true, timeout: '1s' }, a.io);
    const v = capture();
    const verifyCode = await runVerify([spec.dir], { live: true, kubeconfig: c.kubeconfig }, v.io);
    results.push({ name: c.name, apply: { code: applyCode, text: a.text() }, verify: { code: verifyCode, text: v.text() } });
  }
  process.stdout.write(JSON.stringify(results));
}

void main();
