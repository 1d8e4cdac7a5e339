/**
 * Converted Gateway API objects as cdk8s code: a Chart that builds the same Gateways and
 * HTTPRoutes with this library's L2 constructs (Gateway, HttpRoute, HttpBackendRef, ...), for
 * teams that keep their routing in TypeScript. It renders exactly the objects
 * {@link convertIngresses} produced (a test synthesizes it and compares), nothing more.
 */
import { asArray, asNumber, asObject, asString } from '../core/json';
import type { ConvertedObject } from './convert';

/** Options of {@link convertedToTypeScript}. */
export interface ConvertTsOptions {
  /** Module the constructs come from. @default 'cdk8s-netkit' */
  readonly importFrom?: string;
  /** Name of the generated Chart class. @default 'MigratedGatewayChart' */
  readonly className?: string;
}

const PATH_TYPE: Readonly<Record<string, string>> = { PathPrefix: 'PATH_PREFIX', Exact: 'EXACT', RegularExpression: 'REGULAR_EXPRESSION' };
const PROTOCOL: Readonly<Record<string, string>> = { HTTP: 'HTTP', HTTPS: 'HTTPS' };

function lit(v: unknown): string {
  return JSON.stringify(v).replace(/"([A-Za-z_][A-Za-z0-9_]*)":/g, '$1: ').replace(/,(?=\S)/g, ', ');
}

function ident(s: string): string {
  const out = s.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''));
  return /^[0-9]/.test(out) ? `_${out}` : out;
}

function pathMatch(m: unknown): string | undefined {
  const p = asObject(asObject(m)?.path);
  if (!p) return undefined;
  const type = PATH_TYPE[asString(p.type) ?? 'PathPrefix'] ?? 'PATH_PREFIX';
  return `{ value: ${lit(asString(p.value) ?? '/')}, type: HttpPathMatchType.${type} }`;
}

function match(m: unknown): string {
  const parts: string[] = [];
  const path = pathMatch(m);
  if (path) parts.push(`path: ${path}`);
  const headers = asArray(asObject(m)?.headers).map((h) => ({ name: asString(asObject(h)?.name) ?? '', value: asString(asObject(h)?.value) ?? '' }));
  if (headers.length) parts.push(`headers: ${lit(headers)}`);
  return `{ ${parts.join(', ')} }`;
}

function filter(f: unknown): string {
  const r = asObject(asObject(f)?.requestRedirect) ?? {};
  const parts: string[] = [];
  const scheme = asString(r.scheme); const hostname = asString(r.hostname); const port = asNumber(r.port); const code = asNumber(r.statusCode);
  const full = asString(asObject(r.path)?.replaceFullPath);
  if (scheme) parts.push(`scheme: ${lit(scheme)}`);
  if (hostname) parts.push(`hostname: ${lit(hostname)}`);
  if (port !== undefined) parts.push(`port: ${port}`);
  if (full !== undefined) parts.push(`path: { replaceFullPath: ${lit(full)} }`);
  if (code !== undefined) parts.push(`statusCode: ${code}`);
  return `HttpRouteFilter.requestRedirect({ ${parts.join(', ')} })`;
}

function backend(b: unknown): string {
  const o = asObject(b) ?? {};
  const weight = asNumber(o.weight);
  return `HttpBackendRef.fromRef({ name: ${lit(asString(o.name))}, port: ${asNumber(o.port)} }${weight !== undefined ? `, { weight: ${weight} }` : ''})`;
}

/** TypeScript source of a cdk8s Chart that synthesizes `objects` (Gateways and HTTPRoutes from {@link convertIngresses}). */
export function convertedToTypeScript(objects: readonly ConvertedObject[], options: ConvertTsOptions = {}): string {
  const from = options.importFrom ?? 'cdk8s-netkit';
  const cls = options.className ?? 'MigratedGatewayChart';
  const body: string[] = [];
  const gatewayVars = new Map<string, string>();
  for (const o of objects) {
    const meta = asObject(o.metadata) ?? {};
    const name = asString(meta.name) ?? ''; const ns = asString(meta.namespace) ?? 'default';
    const spec = asObject(o.spec) ?? {};
    if (o.kind === 'Gateway') {
      const v = ident(`gateway-${ns}-${name}`);
      gatewayVars.set(`${ns}/${name}`, v);
      const listeners = asArray(spec.listeners).map((l) => {
        const x = asObject(l) ?? {};
        const host = asString(x.hostname);
        const refs = asArray(asObject(x.tls)?.certificateRefs).map((r) => asString(asObject(r)?.name));
        const protocol = asString(x.protocol) ?? 'HTTP';
        return `      { name: ${lit(asString(x.name))}, protocol: ${PROTOCOL[protocol] ? `GatewayProtocol.${PROTOCOL[protocol]}` : lit(protocol)}, port: ${asNumber(x.port)}${host ? `, hostname: ${lit(host)}` : ''}${refs.length ? `, tls: { certificateRefs: ${lit(refs)} }` : ''} },`;
      });
      body.push(`    const ${v} = new Gateway(this, ${lit(`${ns}-${name}`)}, {`,
        `      metadata: { name: ${lit(name)}, namespace: ${lit(ns)} },`,
        `      gatewayClassName: ${lit(asString(spec.gatewayClassName))},`,
        '      listeners: [', ...listeners.map((l) => `  ${l}`), '      ],', '    });');
      continue;
    }
    const parents = asArray(spec.parentRefs).map((p) => {
      const x = asObject(p) ?? {};
      const gw = gatewayVars.get(`${asString(x.namespace) ?? ns}/${asString(x.name)}`);
      const section = asString(x.sectionName);
      return gw ? `ParentRef.gateway(${gw}${section ? `, { sectionName: ${lit(section)} }` : ''})` : `ParentRef.fromRef(${lit(x)})`;
    });
    const hostnames = asArray(spec.hostnames);
    const rules = asArray(spec.rules).map((r) => {
      const x = asObject(r) ?? {};
      const parts: string[] = [];
      const matches = asArray(x.matches);
      if (matches.length) parts.push(`matches: [${matches.map(match).join(', ')}]`);
      const filters = asArray(x.filters);
      if (filters.length) parts.push(`filters: [${filters.map(filter).join(', ')}]`);
      const refs = asArray(x.backendRefs);
      if (refs.length) parts.push(`backendRefs: [${refs.map(backend).join(', ')}]`);
      return `        { ${parts.join(', ')} },`;
    });
    body.push(`    new HttpRoute(this, ${lit(`${ns}-${name}`)}, {`,
      `      metadata: { name: ${lit(name)}, namespace: ${lit(ns)} },`,
      `      parentRefs: [${parents.join(', ')}],`,
      ...(hostnames.length ? [`      hostnames: ${lit(hostnames)},`] : []),
      '      rules: [', ...rules, '      ],', '    });');
  }
  return [
    '// Generated by `netkit convert ingress --lang typescript`: Gateway API routing migrated from Ingresses.',
    '// Check it with `netkit diff --equivalent <ingress-side> <gateway-side>` before switching traffic.',
    "import { Chart, ChartProps } from 'cdk8s';",
    "import { Construct } from 'constructs';",
    `import { Gateway, GatewayProtocol, HttpBackendRef, HttpPathMatchType, HttpRoute, HttpRouteFilter, ParentRef } from ${lit(from)};`,
    '',
    `export class ${cls} extends Chart {`,
    '  public constructor(scope: Construct, id: string, props: ChartProps = {}) {',
    '    super(scope, id, props);',
    ...body,
    '  }',
    '}',
    '',
  ].join('\n');
}
