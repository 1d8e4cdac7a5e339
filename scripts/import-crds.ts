/**
 * `npm run import`: regenerates the typed L1s in lib/imports with `cdk8s import`, from the
 * vendored CRD files only (never fetched). Usage:
 *
 *   npm run import                 # CRDs from ../shared/crds
 *   npm run import -- --crds <dir> # or from another copy of the same files
 *
 * Each module gets the kinds our L2 constructs build on. The Istio file bundles every Istio
 * CRD; only the networking.istio.io kinds we use are split out of it, which keeps the
 * generated code (and type-checking time) small. All served versions of a kind are kept, as
 * `cdk8s import` generates them (`HttpRoute` for v1, `HttpRouteV1Beta1`, ...).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';

/** One generated module: which CRDs of which vendored files. */
interface ImportSpec {
  /** Module prefix: the file is `lib/imports/<module>-<group>.ts`. */
  readonly module: string;
  /** Directory under the CRDs root. */
  readonly source: string;
  readonly files: readonly string[];
  readonly group: string;
  readonly kinds: readonly string[];
}

const IMPORTS: readonly ImportSpec[] = [
  {
    module: 'gateway-api',
    source: 'gateway-api-v1.6.1',
    files: [
      'gateway.networking.k8s.io_gatewayclasses.yaml',
      'gateway.networking.k8s.io_gateways.yaml',
      'gateway.networking.k8s.io_httproutes.yaml',
      'gateway.networking.k8s.io_referencegrants.yaml',
      'gateway.networking.k8s.io_listenersets.yaml',
      'gateway.networking.k8s.io_grpcroutes.yaml',
      'gateway.networking.k8s.io_tlsroutes.yaml',
      'gateway.networking.k8s.io_tcproutes.yaml',
      'gateway.networking.k8s.io_udproutes.yaml',
      'gateway.networking.k8s.io_backendtlspolicies.yaml',
    ],
    group: 'gateway.networking.k8s.io',
    kinds: ['GatewayClass', 'Gateway', 'HTTPRoute', 'ReferenceGrant', 'ListenerSet', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'BackendTLSPolicy'],
  },
  {
    module: 'istio',
    source: 'istio-1.30.3',
    files: ['customresourcedefinitions.gen.yaml'],
    group: 'networking.istio.io',
    kinds: ['DestinationRule', 'Gateway', 'ServiceEntry', 'VirtualService'],
  },
];

interface Crd {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly spec?: { readonly group?: string; readonly names?: { readonly kind?: string } };
}

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'lib', 'imports');

function crdsRoot(argv: readonly string[]): string {
  const flag = argv.indexOf('--crds');
  if (flag >= 0 && argv[flag + 1]) return path.resolve(argv[flag + 1]);
  return process.env.NETKIT_CRDS_DIR ? path.resolve(process.env.NETKIT_CRDS_DIR) : path.resolve(root, '..', 'shared', 'crds');
}

/** The CRDs of `spec` from its vendored files, sorted by kind so the input (and output) is stable. */
function selectCrds(spec: ImportSpec, dir: string): Crd[] {
  const crds: Crd[] = [];
  for (const file of spec.files) {
    const full = path.join(dir, spec.source, file);
    if (!fs.existsSync(full)) throw new Error(`missing vendored CRD file ${full}; pass --crds <dir> (the directory holding ${spec.source}/)`);
    for (const doc of parseAllDocuments(fs.readFileSync(full, 'utf8'))) {
      const crd = doc.toJS() as Crd | null;
      if (crd?.kind !== 'CustomResourceDefinition' || crd.spec?.group !== spec.group) continue;
      if (spec.kinds.includes(crd.spec.names?.kind ?? '')) crds.push(crd);
    }
  }
  const found = crds.map((c) => c.spec?.names?.kind ?? '');
  const missing = spec.kinds.filter((k) => !found.includes(k));
  if (missing.length > 0) throw new Error(`${spec.source}: no CRD for ${missing.join(', ')} in group ${spec.group}`);
  return crds.sort((a, b) => (a.spec?.names?.kind ?? '').localeCompare(b.spec?.names?.kind ?? ''));
}

function generate(spec: ImportSpec, dir: string, work: string): string {
  const input = path.join(work, `${spec.module}.yaml`);
  fs.writeFileSync(input, selectCrds(spec, dir).map((crd) => stringify(crd)).join('---\n'));
  for (const old of fs.readdirSync(outDir).filter((f) => f.startsWith(`${spec.module}-`))) fs.rmSync(path.join(outDir, old));
  const cli = path.join(root, 'node_modules', '.bin', 'cdk8s');
  try {
    execFileSync(cli, ['import', `${spec.module}:=${input}`, '--output', outDir, '--language', 'typescript', '--no-save', '--no-check-upgrade'], {
      cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`cdk8s import ${spec.module} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: error });
  }
  const file = path.join(outDir, `${spec.module}-${spec.group}.ts`);
  const header = `// Source: ${spec.source}/${spec.files.join(', ')} (${spec.kinds.join(', ')}).\n` +
    '// Regenerate with `npm run import` (scripts/import-crds.ts); never edit by hand.\n';
  fs.writeFileSync(file, header + fs.readFileSync(file, 'utf8'));
  return file;
}

function main(): void {
  const dir = crdsRoot(process.argv.slice(2));
  fs.mkdirSync(outDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-import-'));
  try {
    for (const spec of IMPORTS) {
      const file = generate(spec, dir, work);
      const classes = (fs.readFileSync(file, 'utf8').match(/^export class /gm) ?? []).length;
      process.stdout.write(`wrote ${path.relative(root, file)} (${classes} classes)\n`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`import-crds: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
