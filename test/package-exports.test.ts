/**
 * lib/index.ts loads the runtime, the plugin, the rules and the graph on first use (issue 21).
 * These tests check that this changes nothing a consumer sees: every name the modules export
 * through the index is there, enumerable, and the very same object; and that loading the index
 * alone really leaves those modules (and the generated L1s, re2js) unloaded.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as api from '../lib';
import * as constructs from '../lib/constructs';
import * as graph from '../lib/graph';
import * as plugin from '../lib/plugin';
import * as rules from '../lib/rules';
import * as runtime from '../lib/runtime';

const ROOT = path.join(__dirname, '..');

describe('the package entry point', () => {
  const exported = api as unknown as Record<string, unknown>;

  test.each([
    ['runtime', runtime as unknown as Record<string, unknown>, Object.keys(runtime)],
    ['plugin', plugin as unknown as Record<string, unknown>, ['NetkitValidation']],
    ['rules', rules as unknown as Record<string, unknown>, ['RULES', 'runRules', 'validateObjects', 'failing']],
    ['graph', graph as unknown as Record<string, unknown>, ['GRAPH_SCHEMA', 'buildGraph', 'graphFromObjects', 'layoutGraph', 'renderGraphHtml']],
  ])('gives the %s exports themselves', (_name, mod, names) => {
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(Object.keys(exported)).toContain(name);
      expect(exported[name]).toBeDefined();
      expect(exported[name]).toBe(mod[name]);
    }
  });

  test('gives every construct export, and exactly the names it gave when everything loaded eagerly', () => {
    for (const name of Object.keys(constructs)) expect(exported[name]).toBe((constructs as unknown as Record<string, unknown>)[name]);
    const eager = [
      ...Object.keys(constructs), ...Object.keys(runtime), 'NetkitValidation', 'RULES', 'runRules', 'validateObjects', 'failing',
      'GRAPH_SCHEMA', 'buildGraph', 'graphFromObjects', 'layoutGraph', 'renderGraphHtml',
      'formatProblem', 'validateService', 'validatePodSpec', 'validateLabels', 'names',
    ];
    expect(Object.keys(exported).sort()).toEqual([...new Set(eager)].sort());
  });

  test('a class from a lazy module works as a value and with instanceof', () => {
    // Type names of the lazy parts (a missing one fails the typecheck of this file).
    const types: [api.Cluster?, api.ManifestObject?, api.NetkitValidation?, api.Rule?, api.RoutingGraph?, api.L7Model?, api.ClusterStateView?] = [];
    expect(types).toEqual([]);
    const loaded = api.fromObjects([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'a' }, spec: { ports: [{ port: 80 }] } }], 'test');
    const cluster = api.Cluster.build(loaded.objects, api.defaultProfile());
    expect(cluster).toBeInstanceOf(runtime.Cluster);
    expect(cluster.services.has('a/s')).toBe(true);
  });

  test('loading it leaves the engine, rules, graph, zod, the YAML readers, the L1s and re2js unloaded', () => {
    const script = `
      require('./lib');
      const loaded = Object.keys(require.cache).map((f) => require('path').relative(process.cwd(), f));
      process.stdout.write(JSON.stringify(loaded));`;
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const loaded = JSON.parse(r.stdout) as string[];
    expect(loaded).toContain(path.join('lib', 'constructs', 'service.ts'));
    // (The constructs use two small helpers of lib/rules, suppress.ts and json.ts; cdk8s has its own yaml.)
    const heavy = /^lib\/(engine|graph|manifest|plugin|imports)\/|^lib\/rules\/(index|registry|runner|context)|^node_modules\/(zod|yaml|js-yaml|re2js)\//;
    expect(loaded.filter((f) => heavy.test(f))).toEqual([]);
  });
});
