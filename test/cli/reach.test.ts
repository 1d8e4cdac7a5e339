import * as path from 'path';
import { run } from '../support/cli';

const DEMO = path.join(__dirname, '..', 'fixtures', 'microservices-demo');

describe('netkit reach', () => {
  test('text: allowed and denied pairs with ports, and a summary', async () => {
    const r = await run('reach', DEMO);
    expect(r.code).toBe(0);
    expect(r.out).toContain('default/frontend => default/cartservice : TCP 7070');
    expect(r.out).toContain('default/loadgenerator =X default/cartservice : TCP 7070');
    expect(r.out).toContain('default/cartservice => default/redis-cart : TCP 6379');
    expect(r.out).toContain('default/frontend =X default/redis-cart : TCP 6379');
    expect(r.out).toMatch(/12 workloads, \d+ connections probed/);
    expect(r.out).toContain('no declared port (not probed as destinations): default/loadgenerator');
  });

  test('--focus keeps only the workload\'s connections; --explain names the rule', async () => {
    const r = await run('reach', DEMO, '--focus', 'default/redis-cart', '--explain');
    expect(r.code).toBe(0);
    const pairs = r.out.split('\n').filter((l) => /^default\//.test(l));
    expect(pairs.every((l) => l.includes('default/redis-cart'))).toBe(true);
    expect(r.out).toContain('ingress allow: NetworkPolicy default/redis-cart spec.ingress[0] admits it');
    expect(r.out).toMatch(/default\/frontend =X default\/redis-cart : TCP 6379 DENIED\n.*egress.*\n.*nearest miss: NetworkPolicy default\/redis-cart spec.ingress\[0\]/);
  });

  test('json, csv, md and dot agree on the same cells', async () => {
    const json = JSON.parse((await run('reach', DEMO, '-o', 'json')).out) as { connections: { from: string; to: string; port: number; allowed: boolean }[] };
    const csv = (await run('reach', DEMO, '-o', 'csv')).out.trimEnd().split('\n');
    expect(csv[0]).toBe('src,dst,port,protocol,allowed');
    expect(csv.length - 1).toBe(json.connections.length);
    const allowedJson = json.connections.filter((c) => c.allowed).length;
    expect(csv.filter((l) => l.endsWith(',true'))).toHaveLength(allowedJson);
    const md = (await run('reach', DEMO, '-o', 'md')).out;
    expect(md).toContain('| default/loadgenerator | default/cartservice | - | TCP 7070 |');
    const dot = (await run('reach', DEMO, '-o', 'dot')).out;
    expect(dot).toMatch(/^digraph reach \{/);
    expect(dot).toContain('"default/loadgenerator" -> "default/cartservice" [label="TCP 7070", color="red", style="dashed", fontcolor="red"];');
  });

  test('an unknown --focus is a usage error', async () => {
    const r = await run('reach', DEMO, '--focus', 'default/nope');
    expect(r.code).toBe(1);
    expect(r.err).toContain('--focus default/nope: no such workload');
  });
});
