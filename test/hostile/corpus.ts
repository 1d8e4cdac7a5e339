/**
 * The project's bad-input corpus: files, directories and special files (FIFOs, sockets,
 * symlink loops, devices) written into a temporary directory at test time, each with what every
 * command must do with it. Run by `corpus.test.ts` (inside `npm test`) and `npm run fuzz`
 * through every CLI command with a timeout (see `harness.ts`).
 */
import * as fs from 'fs';
import * as path from 'path';

/** What the commands must do with a case. */
export type Expect =
  /** An input error: every command exits 1 and names the file (and line, when given). */
  | { readonly kind: 'input-error'; readonly mentions: readonly string[] }
  /** The input loads: validate exits 0 or 2, routes/trace 0 or 2, graph 0. */
  | { readonly kind: 'loads'; readonly mentions?: readonly string[] }
  /** Loads, and validate must report a finding (exit 2) mentioning these. */
  | { readonly kind: 'findings'; readonly mentions: readonly string[] };

/** One corpus case: the paths given to the commands and what must happen. */
export interface CorpusCase {
  readonly id: string;
  readonly paths: readonly string[];
  readonly profile?: string;
  /** Extra options given to every command (e.g. `--exclude`). */
  readonly options?: readonly string[];
  readonly expect: Expect;
  /** Text no output line may start with (forged lines). */
  readonly forbidden?: readonly string[];
  /** Slow by design (e.g. 130,000 objects): `npm test` runs it through fewer commands than `npm run fuzz`. */
  readonly heavy?: boolean;
}

const DEPLOYMENT = (name: string, replicas: number | string = 2, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: c
        image: nginx
        ports:
        - containerPort: 8080
          name: http${extra}
`;

const SERVICE = (name: string, extra = ''): string => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: ${name}}
  ports:
  - port: 80
    targetPort: 8080${extra}
`;

/** A small valid app: Deployment `web` and Service `web`. */
export const VALID = `${DEPLOYMENT('web')}---\n${SERVICE('web')}`;

function utf16(text: string, bigEndian: boolean): Buffer {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  if (!bigEndian) return le;
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) { be[i] = le[i + 1]; be[i + 1] = le[i]; }
  return be;
}

function utf32le(text: string): Buffer {
  const cps = [0xfeff, ...[...text].map((c) => c.codePointAt(0) as number)];
  const b = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => b.writeUInt32LE(cp, i * 4));
  return b;
}

/** Billion laughs: 9 levels of 9 aliases. */
function aliasBomb(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(',')}]`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  ${lines.join('\n  ')}\n`;
}

/**
 * Write the corpus into `dir` (which must be empty) and return its cases. Special files that
 * the platform cannot create (a socket needs a listener: `socketPath` is created by the caller)
 * are described, not skipped.
 */
export function writeCorpus(dir: string): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const file = (rel: string, content: string | Buffer): string => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    return p;
  };
  const mkdir = (rel: string): string => {
    const p = path.join(dir, rel);
    fs.mkdirSync(p, { recursive: true });
    return p;
  };
  const symlink = (target: string, rel: string): string => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.symlinkSync(target, p);
    return p;
  };
  const fifo = (rel: string): string => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    // mknod(2) has no Node API; mkfifo is in coreutils everywhere this project runs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('child_process') as typeof import('child_process')).execFileSync('mkfifo', [p]);
    return p;
  };
  const add = (c: CorpusCase): void => { cases.push(c); };
  const inputError = (id: string, p: string, mentions: string[], extra: Partial<CorpusCase> = {}): void =>
    add({ id, paths: [p], expect: { kind: 'input-error', mentions }, ...extra });
  const loads = (id: string, p: string, extra: Partial<CorpusCase> = {}, mentions?: string[]): void =>
    add({ id, paths: [p], expect: { kind: 'loads', mentions }, ...extra });
  const findings = (id: string, p: string, mentions: string[], extra: Partial<CorpusCase> = {}): void =>
    add({ id, paths: [p], expect: { kind: 'findings', mentions }, ...extra });

  // ---- the file system ----
  inputError('fifo-given', fifo('fifo-given/pipe.yaml'), ['pipe.yaml', 'FIFO']);
  { const d = mkdir('fifo-in-dir'); file('fifo-in-dir/ok.yaml', VALID); fifo('fifo-in-dir/x.yaml'); inputError('fifo-in-dir', d, ['x.yaml', 'FIFO']); }
  inputError('dev-null-given', '/dev/null', ['/dev/null', 'character device']);
  inputError('dev-zero-link-given', symlink('/dev/zero', 'zero-link/zero.yaml'), ['zero.yaml', 'character device']);
  { const d = mkdir('zero-in-dir'); file('zero-in-dir/ok.yaml', VALID); symlink('/dev/zero', 'zero-in-dir/zero.yaml'); loads('dev-zero-link-in-dir', d, {}, ['symlink leaving']); }
  { const d = mkdir('zero-follow'); file('zero-follow/ok.yaml', VALID); symlink('/dev/zero', 'zero-follow/zero.yaml'); inputError('dev-zero-link-followed', d, ['zero.yaml', 'character device'], { options: ['--follow-symlinks'] }); }
  { const d = mkdir('self-loop'); file('self-loop/ok.yaml', VALID); symlink('.', 'self-loop/self'); loads('symlink-to-dot', d, {}, ['symlink loop']); }
  { const d = mkdir('two-loops'); file('two-loops/ok.yaml', VALID); symlink('.', 'two-loops/a'); symlink('.', 'two-loops/b'); symlink('..', 'two-loops/sub/up'); loads('two-symlinks-to-dot', d, {}, ['symlink loop']); }
  { mkdir('file-loop'); symlink('b.yaml', 'file-loop/a.yaml'); symlink('a.yaml', 'file-loop/b.yaml'); inputError('file-symlink-loop', path.join(dir, 'file-loop'), ['a.yaml', 'loop']); }
  { const d = mkdir('dangling'); file('dangling/ok.yaml', VALID); symlink('missing.yaml', 'dangling/gone.yaml'); inputError('dangling-symlink', d, ['gone.yaml', 'dangling']); }
  { const d = mkdir('to-etc'); file('to-etc/ok.yaml', VALID); symlink('/etc', 'to-etc/etc'); loads('symlink-out-of-tree', d, {}, ['symlink leaving']); }
  { const d = mkdir('dup-link'); file('dup-link/ok.yaml', VALID); symlink('ok.yaml', 'dup-link/same.yaml'); loads('same-file-twice', d, {}, ['already read']); }
  { const d = mkdir('with-node-modules'); file('with-node-modules/ok.yaml', VALID); file('with-node-modules/node_modules/pkg/bad.yaml', 'a: [\n'); loads('node-modules-skipped', d, {}, ['node_modules']); }
  { const d = mkdir('with-git'); file('with-git/ok.yaml', VALID); file('with-git/.git/x.yaml', ': :\n'); file('with-git/.cache/y.yaml', ': :\n'); loads('git-and-hidden-skipped', d, {}, ['.git directory', 'hidden director']); }
  { const d = mkdir('exclude'); file('exclude/ok.yaml', VALID); file('exclude/charts/bad.yaml', ': :\n'); loads('exclude-option', d, { options: ['--exclude', 'charts/'] }, ['--exclude']); }
  { const d = mkdir('big'); file('big/big.yaml', `# ${'x'.repeat(2 * 1024 * 1024)}\n${VALID}`); inputError('over-file-size-limit', d, ['big.yaml', 'limit'], { options: ['--limit', 'file-size=1'] }); }
  inputError('missing-path', path.join(dir, 'does-not-exist'), ['does-not-exist', 'no such file']);
  inputError('empty-dir', mkdir('empty'), ['empty', 'no Kubernetes objects']);
  inputError('empty-file', file('empty-file.yaml', ''), ['empty-file.yaml', 'no Kubernetes objects']);
  inputError('only-separators', file('seps.yaml', '---\n---\n...\n'), ['seps.yaml', 'no Kubernetes objects']);

  // ---- parsing ----
  inputError('alias-bomb', file('alias-bomb.yaml', aliasBomb()), ['alias-bomb.yaml:1', 'alias']);
  inputError('flow-depth-bomb', file('flow-depth.yaml', `${VALID}---\nx: ${'['.repeat(100000)}${']'.repeat(100000)}\n`), ['flow-depth.yaml:', 'nesting']);
  inputError('block-depth-bomb', file('block-depth.yaml', Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n'), ['block-depth.yaml:', 'nesting']);
  inputError('json-depth-bomb', file('json-depth.json', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`), ['json-depth.json:1', 'nesting']);
  inputError('seq-depth-bomb', file('seq-depth.yaml', `${'- '.repeat(5000)}x\n`), ['seq-depth.yaml:1', 'nesting']);
  inputError('oversized-scalar', file('big-scalar.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ${'x'.repeat(4 * 1024 * 1024)}\n`), ['big-scalar.yaml:6', 'data.blob', 'MiB']);
  loads('merge-keys', file('merge.yaml', `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports:\n  - &p {port: 80, targetPort: 8080, protocol: TCP}\n  - <<: *p\n    port: 81\n    name: b\n---\n${DEPLOYMENT('web')}`));
  loads('utf16le-bom', file('utf16le.yaml', utf16(VALID, false)));
  loads('utf16be-bom', file('utf16be.yaml', utf16(VALID, true)));
  loads('utf32le-bom', file('utf32le.yaml', utf32le(VALID)));
  loads('utf8-bom', file('utf8bom.yaml', `\ufeff${VALID}`));
  inputError('invalid-utf8', file('bad-utf8.yaml', Buffer.concat([Buffer.from(`${VALID}# ok\n# `), Buffer.from([0xc3, 0x28]), Buffer.from('\n')])), ['bad-utf8.yaml:30', 'UTF-8']);
  inputError('binary-garbage', file('garbage.yaml', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))), ['garbage.yaml']);
  inputError('nul-bytes', file('nul.yaml', `apiVersion: v1\nkind: Service\nmetadata: {name: "a\0b"}\n`), ['nul.yaml']);
  // kubectl's YAMLOrJSONDecoder reads a first JSON value that fails as YAML: these two load there.
  loads('json-trailing-comma', file('trailing.json', '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web",}, "spec": {"ports": [{"port": 80},]},}\n'));
  inputError('json-comment', file('comment.json', '{\n  // a comment\n  "apiVersion": "v1"\n}\n'), ['comment.json:2', 'JSON']);
  loads('json-unquoted-keys', file('unquoted.json', '{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {ports: [{port: 80}]}}\n'));
  loads('json-stream', file('stream.json', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}\n{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}\n'));
  inputError('json-stream-broken', file('broken.json', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}\n{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}\n{"apiVersion": \n'), ['broken.json:4', 'JSON']);
  loads('json-array', file('array.json', JSON.stringify([JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } }))])));
  loads('nested-list', file('nested-list.yaml', `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: web}\n    spec:\n      selector: {app: web}\n      ports: [{port: 80, targetPort: 8080}]\n`));
  inputError('syntax-error', file('syntax.yaml', `${VALID}---\napiVersion: v1\nkind: Service\nmetadata: {name: x\n`), ['syntax.yaml:']);
  inputError('duplicate-key', file('dupkey.yaml', 'apiVersion: v1\nkind: Service\nkind: Pod\nmetadata: {name: x}\n'), ['dupkey.yaml:3']);
  inputError('document-is-string', file('string.yaml', 'just a string\n'), ['string.yaml:1', 'mapping']);
  inputError('missing-kind', file('nokind.yaml', 'apiVersion: v1\nmetadata: {name: x}\n'), ['nokind.yaml', 'kind']);
  inputError('tab-indent', file('tabs.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n\tname: x\n'), ['tabs.yaml:4']);
  inputError('unknown-tag', file('tag.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: !custom x}\nspec: {ports: [{port: 80}]}\n'), ['tag.yaml']);
  inputError('port-overflow', file('port-big.yaml', SERVICE('web').replace('port: 80', 'port: 1e400')), ['port-big.yaml:', 'port']);
  inputError('replicas-string', file('replicas-string.yaml', DEPLOYMENT('web', '"3"')), ['replicas-string.yaml:6', 'spec.replicas']);
  inputError('replicas-negative', file('replicas-neg.yaml', DEPLOYMENT('web', -1)), ['replicas-neg.yaml:6', 'spec.replicas']);
  inputError('selector-string', file('sel-string.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  selector: app=web\n  ports: [{port: 80}]\n'), ['sel-string.yaml:5', 'spec.selector']);
  { const docs: string[] = []; for (let i = 0; i < 130000; i++) docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`); loads('130k-objects', file('many.yaml', `${VALID}---\n${docs.join('---\n')}`), { heavy: true }); }

  // ---- the simulation budget ----
  inputError('replicas-2m', file('replicas-2m.yaml', `${DEPLOYMENT('web', 2000000)}---\n${SERVICE('web')}`), ['replicas-2m.yaml:1', 'spec.replicas', 'budget']);
  inputError('replicas-1e9', file('replicas-1e9.yaml', DEPLOYMENT('web', '1e9')), ['replicas-1e9.yaml:1', 'spec.replicas', 'budget']);
  inputError('many-workloads-over-budget', file('many-deploys.yaml', Array.from({ length: 200 }, (_, i) => DEPLOYMENT(`w${i}`, 1000)).join('---\n')), ['many-deploys.yaml:', 'spec.replicas', 'budget']);
  { const ports = Array.from({ length: 2000 }, (_, i) => `        - containerPort: ${1 + i}`).join('\n'); inputError('ports-over-budget', file('ports.yaml', DEPLOYMENT('web', 1000).replace(/ {8}ports:\n[\s\S]*$/, `        ports:\n${ports}\n`)), ['ports.yaml:1', 'ports', 'budget']); }
  { const p = file('profiles/zones.yaml', 'nodes: 3\nzones: 100000000\n'); add({ id: 'profile-zones-huge', paths: [file('profiles/app.yaml', VALID)], profile: p, expect: { kind: 'input-error', mentions: ['zones.yaml:2', 'zones'] } }); }
  { const p = file('profiles/nodes.yaml', 'nodes: 20000\n'); add({ id: 'profile-nodes-over-budget', paths: [path.join(dir, 'profiles/app.yaml')], profile: p, expect: { kind: 'input-error', mentions: ['nodes.yaml', 'nodes', 'budget'] } }); }
  { const p = fifo('profiles/fifo.yaml'); add({ id: 'profile-fifo', paths: [path.join(dir, 'profiles/app.yaml')], profile: p, expect: { kind: 'input-error', mentions: ['fifo.yaml', 'FIFO'] } }); }
  { const p = file('profiles/bad-field.yaml', 'nodes: 3\nserviceCIDR: 10.96.0.0/12\nzonez: 3\n'); add({ id: 'profile-unknown-field', paths: [path.join(dir, 'profiles/app.yaml')], profile: p, expect: { kind: 'input-error', mentions: ['bad-field.yaml:'] } }); }
  { const p = file('profiles/bad-cidr.yaml', 'nodes: 3\nserviceCIDR: not-a-cidr\n'); add({ id: 'profile-bad-cidr', paths: [path.join(dir, 'profiles/app.yaml')], profile: p, expect: { kind: 'input-error', mentions: ['bad-cidr.yaml:2', 'serviceCIDR'] } }); }
  { const p = file('profiles/bomb.yaml', aliasBomb()); add({ id: 'profile-alias-bomb', paths: [path.join(dir, 'profiles/app.yaml')], profile: p, expect: { kind: 'input-error', mentions: ['bomb.yaml'] } }); }

  // ---- objects the API server or the simulation rejects ----
  findings('apps-v1beta2-numeric-port-name', file('v1beta2.yaml', DEPLOYMENT('web').replace('apps/v1', 'apps/v1beta2').replace('name: http', 'name: 8080')), ['v1beta2.yaml:1', 'apps/v1beta2', 'no longer served']);
  findings('extensions-v1beta1-ingress', file('ext-ingress.yaml', `${VALID}---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\nspec:\n  backend: {serviceName: web, servicePort: 80}\n`), ['ext-ingress.yaml:', 'extensions/v1beta1', 'no longer served']);
  findings('external-ip-not-an-ip', file('extip.yaml', `${DEPLOYMENT('web')}---\n${SERVICE('web')}  externalIPs: [not-an-ip]\n  loadBalancerSourceRanges: [nope, 10.0.0.0/8]\n  type: LoadBalancer\n`), ['extip.yaml:']);
  findings('same-cluster-ip', file('same-ip.yaml', `${VALID}---\n${SERVICE('api').replace('spec:\n', 'spec:\n  clusterIP: 10.96.0.50\n')}---\n${SERVICE('api2').replace('spec:\n', 'spec:\n  clusterIP: 10.96.0.50\n')}`), ['same-ip.yaml:', '10.96.0.50']);
  findings('service-without-ports', file('noports.yaml', `${VALID}---\napiVersion: v1\nkind: Service\nmetadata: {name: empty}\nspec:\n  selector: {app: web}\n`), ['noports.yaml:']);
  inputError('node-bad-podcidr', file('node-cidr.yaml', `${VALID}---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec:\n  podCIDR: 999.1.1.1/99\n`), ['node-cidr.yaml:34', 'spec.podCIDR']);
  loads('node-ipv6-podcidr', file('node-v6.yaml', `${VALID}---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec:\n  podCIDR: fd00::/64\n`));
  findings('port-name-numeric', file('numeric-port.yaml', DEPLOYMENT('web').replace('name: http', 'name: "8080"')), ['numeric-port.yaml:', 'name']);
  inputError('service-type-bogus', file('type-bogus.yaml', `${DEPLOYMENT('web')}---\n${SERVICE('web')}  type: Bogus\n`), ['type-bogus.yaml:29', 'spec.type']);
  loads('proto-keys', file('proto.yaml', `${DEPLOYMENT('web').replace('labels: {app: web}', 'labels: {app: web, __proto__: x, constructor: y}')}---\n${SERVICE('web').replace('selector: {app: web}', 'selector: {app: web, toString: z}')}`));
  findings('name-10k-chars', file('longname.yaml', SERVICE('a'.repeat(10000))), ['longname.yaml:']);
  findings('httproute-garbage', file('httproute.yaml', `${VALID}---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  hostnames: ["*.*.bad..", "x"]\n  parentRefs: [{name: gw}]\n  rules:\n  - matches: [{path: {type: RegularExpression, value: "(("}}]\n    backendRefs: [{name: web, port: 99999}]\n`), ['httproute.yaml:']);
  findings('ingress-garbage', file('ingress.yaml', `${VALID}---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n  - host: "a b"\n    http:\n      paths:\n      - path: "no-slash"\n        pathType: Prefix\n        backend: {service: {name: web, port: {number: 0}}}\n`), ['ingress.yaml:']);

  // ---- forged output ----
  // Names as YAML double-quoted strings with escapes (JSON's escapes are YAML's).
  const q = (s: string): string => JSON.stringify(s);
  findings('name-with-newline', file('forged.yaml', SERVICE(q('web\nerror: injected line\n'))), ['forged.yaml:'], { forbidden: ['error: injected line'] });
  findings('ansi-escapes', file('ansi.yaml', `${DEPLOYMENT('web').replace('labels: {app: web}', `labels: {app: web, x: ${q('\u001b[31mred\u001b[0m')}}`)}---\n${SERVICE(q('web\u001b[2J'))}`), ['ansi.yaml:']);
  findings('bidi-override', file('bidi.yaml', SERVICE(q('web\u202eevil'))), ['bidi.yaml:']);
  findings('host-with-crlf', file('crlf-host.yaml', `${VALID}---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: ${q('a.example\r\nerror: forged')}\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend: {service: {name: web, port: {number: 80}}}\n`), ['crlf-host.yaml:'], { forbidden: ['error: forged'] });
  return cases;
}
