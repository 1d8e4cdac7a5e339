/**
 * The `netkit` command. `runCli` is the whole CLI as a function (argv in, exit code out, output
 * through injected streams) so tests run it in-process; `bin/netkit.js` only wires process I/O.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
// Command modules are imported inside their action, on first use: `netkit validate` does not
// load the apply client, the graph page or the trace formatters (start-up time of every run).
import type { ConnectRequest, TraceSource } from '../engine/trace';
import { parseSourceSpec, parseTraceTarget, resolveSource, TraceSourceSyntaxError, TraceTargetSyntaxError, type SourceSpec } from '../engine/trace-source';
import type { ValidateCommandOptions } from './validate';
import type { DiffCommandOptions } from './diff';
import type { ConvertCommandOptions } from './convert';
import type { ApplyCommandOptions } from './apply';
import type { VerifyCommandOptions } from './verify';
import type { GraphCommandOptions } from './graph';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, formatData, type CliIO } from './io';
import type { ClusterStateView } from '../engine/model';
import type { InputCommandOptions } from './load';
import { escapeTerminal, escapeText } from '../report/text';
import { colorEnabled, colorStderr, colorStdout, textOutput, type ColorEnv } from './color';

/** A usage problem: reported as one line on stderr with exit code 1. */
class UsageError extends Error {}

type OutputFormat = 'text' | 'json' | 'yaml';

/** Columns a table may take when the output is not a terminal (`netkit routes`). */
const DEFAULT_WIDTH = 120;

const repeat = (v: string, prev: string[]): string[] => [...prev, v];

function excludeOption(): Option {
  return new Option('--exclude <pattern>', 'skip paths matching this gitignore-style pattern while walking directories (node_modules, .git and hidden directories are always skipped); repeatable')
    .argParser(repeat).default([]);
}

function followOption(): Option {
  return new Option('--follow-symlinks', 'follow symlinks that lead outside the paths given');
}

function limitOption(): Option {
  return new Option('--limit <name=value>', 'raise or lower a limit: pods=N (default 150000), nodes=N (5000), ports=N (1500000), file-size=MIB (64); repeatable')
    .argParser(repeat).default([]);
}

function outputOption(): Option {
  return new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml']).default('text');
}

/** Parse `--from` (see {@link parseSourceSpec}): a source, or pod labels; a bad value is a usage error. */
export function parseFrom(value: string): SourceSpec {
  try {
    return parseSourceSpec(value);
  } catch (e) {
    if (e instanceof TraceSourceSyntaxError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * The source `--from` names in the loaded cluster; a workload or pod labels that match no pod (or
 * a workload name in several namespaces without `-n`) are a usage error. When a pod was picked
 * for a workload or a selector, stderr says which and why.
 */
function resolveFrom(spec: SourceSpec, state: ClusterStateView, value: string, namespace: string | undefined, io: CliIO): TraceSource {
  const r = resolveSource(spec, state, namespace);
  if (!r.ok) throw new UsageError(`--from ${value}: ${r.message}`);
  if (r.chosen) io.stderr.write(`tracing from ${escapeText(r.chosen)}\n`);
  return r.source;
}

function parsePort(value: string): number | string {
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    if (n < 1 || n > 65535) throw new UsageError(`--port ${value}: a port is 1-65535`);
    return n;
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(value)) throw new UsageError(`--port ${value}: expected a number or a port name such as http`);
  return value;
}

/**
 * The target's host and port: `web:80`, `web.shop:http`, `10.96.0.10:53` carry their port; a
 * `--port` as well must say the same.
 */
function splitTarget(target: string, flagPort: number | string | undefined): { host: string; port?: number | string } {
  let parsed;
  try {
    parsed = parseTraceTarget(target);
  } catch (e) {
    if (e instanceof TraceTargetSyntaxError) throw new UsageError(e.message);
    throw e;
  }
  if (parsed.port !== undefined && flagPort !== undefined && parsed.port !== flagPort) {
    throw new UsageError(`${target} --port ${flagPort}: two different ports; give the port once`);
  }
  return { host: parsed.host, port: parsed.port ?? flagPort };
}

/**
 * The default source when `--from` is left out: the first pod in `-n`'s namespace (an error when
 * it has none), else in `default`, else any pod, else the first node.
 */
function defaultSource(state: ClusterStateView, namespace?: string): TraceSource | undefined {
  const pods = [...state.pods.keys()].sort();
  if (namespace !== undefined) {
    const inNs = pods.find((k) => k.startsWith(`${namespace}/`));
    if (!inNs) throw new UsageError(`-n ${namespace}: no pod in this namespace to trace from; pass --from`);
    return { pod: inNs };
  }
  const pod = pods.find((k) => k.startsWith('default/')) ?? pods[0];
  if (pod) return { pod };
  const node = [...state.nodes.keys()].sort()[0];
  return node ? { node } : undefined;
}

/**
 * The package's version, from its package.json: two levels up from lib/cli in a checkout,
 * three from build/lib/cli in the published package.
 */
export function packageVersion(): string {
  for (const up of ['../..', '../../..']) {
    const file = path.join(__dirname, up, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cdk8s-netkit' && pkg.version) return pkg.version;
    } catch {
      // not this level
    }
  }
  return 'unknown';
}

function build(io: CliIO, result: { code: number }): Command {
  const program = new Command('netkit')
    .description('Simulate Kubernetes Service routing from manifests: kube-proxy, CoreDNS, traces.')
    .version(packageVersion(), '-V, --version', 'print the version of cdk8s-netkit')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showSuggestionAfterError();

  program
    .command('routes')
    .description('list every Service with its addresses, ports and endpoints')
    .argument('<paths...>', 'manifest files or directories (e.g. dist/), or a cdk8s project root (reads the output directory its cdk8s.yaml names)')
    .addOption(new Option('-o, --output <format>', 'output format: text fits the terminal (120 columns when not a terminal), wide has every column').choices(['text', 'wide', 'json', 'yaml']).default('text'))
    .option('-n, --namespace <ns>', 'only the Services, routes and problems of this namespace')
    .option('--profile <file>', 'cluster profile (nodes, zones, CIDRs) as YAML or JSON')
    .addOption(excludeOption()).addOption(followOption()).addOption(limitOption())
    .option('--http', 'only the HTTP section (Ingress, Gateway API, Istio): entry points, routes, attachment status, problems')
    .addOption(new Option('--ingress-profile <profile>', 'Ingress matching rules for every class (default: per IngressClass, ingress-nginx for controller k8s.io/ingress-nginx, else spec)').choices(['spec', 'ingress-nginx']))
    .action(async (paths: string[], opts: InputCommandOptions & { output: OutputFormat | 'wide'; namespace?: string; profile?: string; http?: boolean; ingressProfile?: 'spec' | 'ingress-nginx' }) => {
      const [{ loadCluster, inputOptions }, { formatL7Section, l7Routes }, { formatRoutes, routeRows }, { fitRoutes }] = await Promise.all([import('./load'), import('../report/l7-routes'), import('../report/routes'), import('../report/fit')]);
      const loaded = loadCluster(paths, opts.profile, inputOptions(opts, io));
      if (!loaded.ok) {
        for (const p of loaded.problems) io.stderr.write(`error: ${p}\n`);
        result.code = EXIT_ERROR;
        return;
      }
      for (const w of loaded.warnings) io.stderr.write(`${w}\n`);
      const ns = opts.namespace;
      const inNs = (o?: { namespace?: string }): boolean => ns === undefined || o?.namespace === ns;
      const all = l7Routes(loaded.cluster, opts.ingressProfile);
      // -n keeps the rows of objects in the namespace; entry points (shared, often elsewhere) stay.
      const http = ns === undefined ? all : { ...all, routes: all.routes.filter((r) => inNs(r.object)), status: all.status.filter((r) => inNs(r.object)), problems: all.problems.filter((p) => inNs(p.object)) };
      const rows = routeRows(loaded.cluster).filter((r) => ns === undefined || r.service.startsWith(`${ns}/`));
      if (ns !== undefined && rows.length === 0 && http.routes.length === 0) io.stderr.write(`note: no Services or routes in namespace ${escapeText(ns)}\n`);
      const width = io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : DEFAULT_WIDTH;
      if (opts.http) {
        // JSON of the HTTP section only; the plain `-o json` array of Services stays as it was.
        if (opts.output === 'json' || opts.output === 'yaml') io.stdout.write(formatData(http, opts.output));
        else if (opts.output === 'wide') io.stdout.write(formatL7Section(http) || 'no HTTP routing objects found\n');
        else {
          const fitted = fitRoutes(undefined, http, { width, clusterDomain: loaded.cluster.profile.clusterDomain });
          io.stdout.write(fitted.text || 'no HTTP routing objects found\n');
          for (const n of fitted.notes) io.stderr.write(`note: ${n}; -o wide shows everything\n`);
        }
        result.code = loaded.errors > 0 ? EXIT_FINDINGS : EXIT_OK;
        return;
      }
      if (opts.output === 'json' || opts.output === 'yaml') io.stdout.write(formatData(rows, opts.output));
      else if (opts.output === 'wide') {
        const section = formatL7Section(http);
        io.stdout.write(formatRoutes(rows) + (section ? `\n${section}` : ''));
      } else {
        const fitted = fitRoutes(rows, http, { width, clusterDomain: loaded.cluster.profile.clusterDomain });
        io.stdout.write(fitted.text);
        for (const n of fitted.notes) io.stderr.write(`note: ${n}; -o wide shows everything\n`);
      }
      // Objects the simulation rejected (printed above as `error:` lines) are findings.
      result.code = loaded.errors > 0 ? EXIT_FINDINGS : EXIT_OK;
    });

  program
    .command('trace')
    .description('trace one connection through DNS and kube-proxy to the pods that receive it')
    .argument('<path>', 'manifest directory or file (e.g. dist/), or a cdk8s project root')
    .argument('<target>', 'a DNS name (web, web.shop, web.shop.svc.cluster.local) or an IP, with an optional :PORT or :PORT-NAME (web:80, web.shop:http, 10.96.0.10:53, [fd00::1]:80); an http(s):// or grpc(s):// URL (routed through Ingress, Gateway API or the mesh), or tls://host:port, tcp://host:port, udp://host:port (through Gateway TLS/TCP/UDP listeners)')
    .option('--from <source>', 'pod:NAMESPACE/NAME or NAMESPACE/NAME; deploy/NAME, sts/NAME, ds/NAME, pod/NAME (in -n\'s namespace); node:NAME; external:IP; or pod labels (app=web: the first matching pod) (default: a pod in -n\'s namespace, else in default; for URLs: a pod in -n\'s namespace, else outside the cluster)')
    .option('-n, --namespace <ns>', 'namespace of --from workload names and selectors, and of the default source pod (short target names resolve from the source pod\'s namespace)')
    .option('-p, --port <port>', 'destination port number or Service port name')
    .addOption(new Option('--protocol <protocol>', 'destination protocol').choices(['TCP', 'UDP', 'SCTP']))
    .addOption(outputOption())
    .option('--profile <file>', 'cluster profile (nodes, zones, CIDRs) as YAML or JSON')
    .addOption(excludeOption()).addOption(followOption()).addOption(limitOption())
    .option('-X, --request <method>', 'URLs: the HTTP method (default GET)')
    .option('-H, --header <header>', "URLs: a request header 'Name: value'; repeatable", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .addOption(new Option('--ingress-profile <profile>', 'URLs: Ingress matching rules for every class (default: per IngressClass, ingress-nginx for controller k8s.io/ingress-nginx, else spec)').choices(['spec', 'ingress-nginx']))
    .option('--via <entry>', 'URLs: the entry point to enter by (ids as `netkit routes --http` lists them, e.g. ingress:nginx)')
    .action(async (path: string, target: string, opts: InputCommandOptions & { from?: string; namespace?: string; port?: string; protocol?: 'TCP' | 'UDP' | 'SCTP'; output: OutputFormat; profile?: string; request?: string; header: string[]; ingressProfile?: 'spec' | 'ingress-nginx'; via?: string }) => {
      const [{ loadCluster, inputOptions }, { isHttpUrl, parseHeader, runL7Trace }] = await Promise.all([import('./load'), import('./l7')]);
      const fromSpec = opts.from !== undefined ? parseFrom(opts.from) : undefined;
      if (isHttpUrl(target)) {
        if (opts.port !== undefined || opts.protocol !== undefined) throw new UsageError(`--port/--protocol do not apply to URLs; put the port in the URL (e.g. http://host:8080/path)`);
        const headers: Record<string, string> = {};
        for (const h of opts.header) {
          const kv = parseHeader(h);
          if (!kv) throw new UsageError(`-H ${JSON.stringify(h)}: expected 'Name: value'`);
          headers[kv[0]] = kv[1];
        }
        const loadedHttp = loadCluster([path], opts.profile, inputOptions(opts, io));
        if (!loadedHttp.ok) {
          for (const p of loadedHttp.problems) io.stderr.write(`error: ${p}\n`);
          result.code = EXIT_ERROR;
          return;
        }
        for (const w of loadedHttp.warnings) io.stderr.write(`${w}\n`);
        let from = fromSpec ? resolveFrom(fromSpec, loadedHttp.cluster, opts.from!, opts.namespace, io) : undefined;
        // -n without --from: the request starts inside that namespace, as a non-URL trace does
        // (without -n a URL is requested from outside the cluster, through its entry points).
        if (!from && opts.namespace !== undefined) {
          from = defaultSource(loadedHttp.cluster, opts.namespace);
          if (from) io.stderr.write(`tracing from ${escapeText('pod' in from ? `pod ${from.pod}` : `node ${(from as { node: string }).node}`)} in -n's namespace (pass --from to choose; without -n and --from, URLs start outside the cluster)\n`);
        }
        const code = runL7Trace(loadedHttp.cluster, target, { from, method: opts.request, headers, ingressProfile: opts.ingressProfile, via: opts.via, output: opts.output }, io);
        result.code = loadedHttp.errors > 0 ? EXIT_FINDINGS : code;
        return;
      }
      if (opts.request !== undefined || opts.header.length > 0 || opts.via !== undefined) throw new UsageError('-X, -H and --via apply to http(s):// URL targets only');
      const { host, port } = splitTarget(target, opts.port !== undefined ? parsePort(opts.port) : undefined);
      const loaded = loadCluster([path], opts.profile, inputOptions(opts, io));
      if (!loaded.ok) {
        for (const p of loaded.problems) io.stderr.write(`error: ${p}\n`);
        result.code = EXIT_ERROR;
        return;
      }
      for (const w of loaded.warnings) io.stderr.write(`${w}\n`);
      const from = fromSpec ? resolveFrom(fromSpec, loaded.cluster, opts.from!, opts.namespace, io) : undefined;
      const source = from ?? defaultSource(loaded.cluster, opts.namespace);
      if (!source) throw new UsageError('the cluster has no pods and no nodes to trace from; pass --from external:IP');
      if (!from) io.stderr.write(`tracing from ${escapeText('pod' in source ? `pod ${source.pod}` : `node ${(source as { node: string }).node}`)} (pass --from to choose)\n`);
      const [{ connect }, { formatTrace }] = await Promise.all([import('../engine/trace'), import('../report/trace-format')]);
      const request: ConnectRequest = { from: source, to: host, port, protocol: opts.protocol };
      const trace = connect(request, loaded.cluster);
      io.stdout.write(opts.output === 'json' || opts.output === 'yaml' ? formatData(trace, opts.output) : formatTrace(trace));
      result.code = trace.ok && loaded.errors === 0 ? EXIT_OK : EXIT_FINDINGS;
    });

  program
    .command('reach')
    .description('connectivity matrix: which workload reaches which on each declared port, under NetworkPolicy, ClusterNetworkPolicy and AuthorizationPolicy')
    .argument('<paths...>', 'manifest files or directories (e.g. dist/), or a cdk8s project root (reads the output directory its cdk8s.yaml names)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml', 'md', 'csv', 'dot']).default('text'))
    .option('--explain', 'say for each connection which policy rule admits or denies it (and the nearest miss)')
    .option('--focus <workload>', 'only connections from or to this workload (NAMESPACE/NAME of a Deployment, StatefulSet, DaemonSet or Pod; NAME with -n)')
    .option('-n, --namespace <ns>', 'only connections from or to workloads in this namespace; the namespace of a --focus NAME')
    .option('--profile <file>', 'cluster profile (nodes, zones, CIDRs) as YAML or JSON')
    .action(async (paths: string[], opts: { output: 'text' | 'json' | 'yaml' | 'md' | 'csv' | 'dot'; explain?: boolean; focus?: string; namespace?: string; profile?: string }) => {
      const [{ loadCluster }, { PolicyModel }, { reachMatrix, reachWorkloads }, { renderReach }] = await Promise.all([
        import('./load'), import('../engine/policy'), import('../engine/policy/matrix'), import('../report/reach'),
      ]);
      const loaded = loadCluster(paths, opts.profile);
      if (!loaded.ok) {
        for (const p of loaded.problems) io.stderr.write(`error: ${p}\n`);
        result.code = EXIT_ERROR;
        return;
      }
      for (const w of loaded.warnings) io.stderr.write(`${w}\n`);
      const cluster = loaded.cluster;
      const ns = opts.namespace;
      const focus = opts.focus !== undefined && ns !== undefined && !opts.focus.includes('/') ? `${ns}/${opts.focus}` : opts.focus;
      if (focus !== undefined && !reachWorkloads(cluster).some((w) => w.id === focus)) {
        throw new UsageError(`--focus ${focus}: no such workload; workloads are: ${reachWorkloads(cluster).filter((w) => ns === undefined || w.namespace === ns).map((w) => w.id).slice(0, 10).join(', ')}`);
      }
      const model = PolicyModel.build({ state: cluster, objects: cluster.objects.values() });
      const full = reachMatrix(model, cluster, { focus, explain: opts.explain });
      // -n keeps connections with one end in the namespace, and the workloads those connections name.
      const inNs = (id: string): boolean => id.startsWith(`${ns}/`);
      const cells = ns === undefined ? full.cells : full.cells.filter((c) => inNs(c.from) || inNs(c.to));
      const named = new Set(cells.flatMap((c) => [c.from, c.to]));
      const matrix = ns === undefined ? full : { ...full, cells, workloads: full.workloads.filter((w) => w.namespace === ns || named.has(w.id)), withoutPorts: full.withoutPorts.filter(inNs) };
      // YAML is the JSON document re-encoded, so both list the same fields.
      io.stdout.write(opts.output === 'yaml' ? formatData(JSON.parse(renderReach(matrix, 'json', opts.explain)), 'yaml') : renderReach(matrix, opts.output, opts.explain));
      result.code = EXIT_OK;
    });

  program
    .command('validate')
    .description('check manifests against the netkit rules (API server rejections, routing mistakes, exposure)')
    .argument('<paths...>', 'manifest files or directories (e.g. dist/), or a cdk8s project root (reads the output directory its cdk8s.yaml names)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml', 'sarif']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit code 2').choices(['error', 'warning', 'info']).default('error'))
    .option('--rule <id=setting>', 'turn a rule off or change its severity (off|error|warning|info); repeatable', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('-n, --namespace <ns>', 'only findings on objects in this namespace (every object is still simulated)')
    .option('--profile <file>', 'cluster profile (nodes, zones, CIDRs) as YAML or JSON')
    .addOption(excludeOption()).addOption(followOption()).addOption(limitOption())
    .action(async (paths: string[], opts: ValidateCommandOptions) => {
      const { runValidate } = await import('./validate');
      result.code = runValidate(paths, opts, io);
    });

  program
    .command('diff')
    .description('what a change does: simulate both sides and compare Services, endpoints, exposure and findings (exit 0 same, 1 different, 2 error)')
    .argument('<before>', 'manifest file or directory before the change')
    .argument('<after>', 'manifest file or directory after the change')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml', 'markdown']).default('text'))
    .option('-n, --namespace <ns>', 'only the changes in this namespace (the exit code counts only those)')
    .option('--profile <file>', 'cluster profile used for both sides')
    .option('--equivalent', 'migration check: every witness request must route the same on both sides (exit 0 equivalent, 1 not)')
    .addOption(excludeOption()).addOption(followOption()).addOption(limitOption())
    .addHelpText('after', '\nEither side may be a git revision, REV:path (e.g. HEAD~1:dist), read without a checkout.\n')
    .action(async (before: string, after: string, opts: DiffCommandOptions) => {
      const { runDiff } = await import('./diff');
      result.code = runDiff(before, after, opts, io);
    });

  const convert = program.command('convert').description('convert routing objects to another API');
  convert
    .command('ingress')
    .description('Ingresses to Gateway API (Gateway + HTTPRoutes), with what could not be translated on stderr (exit 2 when something was not)')
    .argument('<paths...>', 'manifest files or directories with the Ingresses (and their Services, to resolve port names)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .addOption(new Option('--lang <language>', 'emit cdk8s code instead of manifests').choices(['typescript']))
    .option('--gateway-class <name>', 'gatewayClassName of the Gateways (default: the IngressClass name)')
    .option('--import-from <module>', 'module the generated TypeScript imports the constructs from', 'cdk8s-netkit')
    .option('--all', 'also write every input object that is not an Ingress or IngressClass: the whole migrated app (YAML/JSON)')
    .addOption(excludeOption()).addOption(followOption()).addOption(limitOption())
    .action(async (paths: string[], opts: ConvertCommandOptions) => {
      const { runConvertIngress } = await import('./convert');
      result.code = runConvertIngress(paths, opts, io);
    });

  program
    .command('apply')
    .description('server-side apply manifests to a cluster (validated first), optionally wait for endpoints and prune')
    .argument('<paths...>', 'manifest files or directories (e.g. dist/), or a cdk8s project root (reads the output directory its cdk8s.yaml names)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: its current context)')
    .addOption(new Option('--dry-run <mode>', 'server: the API server validates and admits every object, nothing is persisted').choices(['server']))
    .option('--force', 'apply even when the validator reports errors')
    .option('--force-conflicts', 'take over fields that another field manager owns instead of failing with a conflict')
    .option('--wait', 'wait until workloads rolled out and every Service has the endpoints the runtime predicts')
    .option('--timeout <duration>', 'how long --wait waits (e.g. 90s, 5m)', '5m')
    .option('--applyset <[secrets/|configmaps/]name>', 'the apply set (KEP-3659, as kubectl --applyset): its parent Secret (or ConfigMap) records the set; required, one per project')
    .option('-n, --namespace <ns>', 'namespace of the apply set parent (default: the context\'s namespace, else default)')
    .option('--prune', 'delete members of the apply set that are no longer in the manifests')
    .addOption(new Option('--apply-set <name>', 'replaced by --applyset').hideHelp())
    .option('--no-create-namespaces', 'do not create namespaces the manifests use but do not declare')
    .option('--profile <file>', 'cluster profile for the runtime (default: the live Nodes)')
    .addOption(excludeOption()).addOption(followOption()).addOption(limitOption())
    .option('--concurrency <n>', 'requests in flight at once (objects of one kind are sent together; output stays in apply order)', '8')
    .addOption(outputOption())
    .action(async (paths: string[], opts: ApplyCommandOptions) => {
      const { runApply } = await import('./apply');
      result.code = await runApply(paths, opts, io);
    });

  program
    .command('verify')
    .description('compare the live Services, Endpoints and EndpointSlices with what the runtime predicts for the manifests')
    .argument('<paths...>', 'manifest files or directories (e.g. dist/), or a cdk8s project root (reads the output directory its cdk8s.yaml names)')
    .option('--live', 'compare with a running cluster (required)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: its current context)')
    .option('--profile <file>', 'cluster profile for the runtime (default: the live Nodes)')
    .addOption(excludeOption()).addOption(followOption()).addOption(limitOption())
    .option('--ignore-placement', 'do not compare how many pods of each workload run on each node (the scheduler\'s choice)')
    .option('-n, --namespace <ns>', 'compare only this namespace (every object is still simulated)')
    .addOption(outputOption())
    .action(async (paths: string[], opts: VerifyCommandOptions) => {
      const { runVerify } = await import('./verify');
      result.code = await runVerify(paths, opts, io);
    });

  program
    .command('graph')
    .description('draw the routing graph (entry points, Services, EndpointSlices, pods by node) with validator findings and traces')
    .argument('<paths...>', 'manifest files or directories (e.g. dist/), or a cdk8s project root (reads the output directory its cdk8s.yaml names)')
    .option('--html <file>', 'write one self-contained HTML page (- for stdout)')
    .addOption(new Option('-o, --output <format>', 'print the graph model to stdout').choices(['json', 'yaml']))
    .option('--rule <id=setting>', 'turn a rule off or change its severity (off|error|warning|info); repeatable', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--profile <file>', 'cluster profile (nodes, zones, CIDRs) as YAML or JSON')
    .option('-n, --namespace <ns>', 'draw only this namespace\'s Services, slices, pods and routes, with the entry points that lead to them (every object is still simulated)')
    .option('--denied-limit <n>', 'draw at most n denied edges (workload -> Service port pairs policy drops; 0: none)', '2000')
    .addOption(excludeOption()).addOption(followOption()).addOption(limitOption())
    .action(async (paths: string[], opts: GraphCommandOptions) => {
      const { runGraph } = await import('./graph');
      result.code = runGraph(paths, opts, io);
    });

  return program;
}

/** Exit code of every `netkit diff` error (usage, input, internal): kubectl diff's ">1". */
const DIFF_ERROR_CODE = 2;

/**
 * Run the CLI with `argv` (without the node and script names). Never throws: usage errors, bad
 * input and internal errors become messages on stderr and an exit code. `env` decides colour
 * (see {@link colorEnabled}); streams that are not terminals get none.
 */
export async function runCli(argv: readonly string[], rawIO: CliIO, env: ColorEnv = process.env): Promise<number> {
  // A second guard behind the per-value escaping: no control character other than a line break
  // reaches the terminal, whatever a manifest holds (JSON stays valid: the escapes are JSON's).
  // Colour codes are added after it, on a terminal and for text output only.
  const colorOut = colorEnabled(rawIO.stdout.isTTY, env) && textOutput(argv);
  const colorErr = colorEnabled(rawIO.stderr.isTTY, env);
  const io: CliIO = {
    stdout: { write: (text: string) => rawIO.stdout.write(colorOut ? colorStdout(escapeTerminal(text)) : escapeTerminal(text)), isTTY: rawIO.stdout.isTTY, columns: rawIO.stdout.columns },
    stderr: { write: (text: string) => rawIO.stderr.write(colorErr ? colorStderr(escapeTerminal(text)) : escapeTerminal(text)), isTTY: rawIO.stderr.isTTY },
  };
  const result = { code: EXIT_OK };
  const program = build(io, result);
  // `netkit diff` follows kubectl diff: 1 means "different", so its errors are 2.
  const errorCode = argv.find((a) => !a.startsWith('-')) === 'diff' ? DIFF_ERROR_CODE : EXIT_ERROR;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end with exit code 0; commander already printed the message.
      return e.exitCode === 0 ? EXIT_OK : errorCode;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\n`);
      return errorCode;
    }
    io.stderr.write(`netkit: internal error: ${escapeText(String((e as Error)?.message ?? e))} (please report it with the command you ran)\n`);
    return errorCode;
  }
}
