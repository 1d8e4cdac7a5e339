/**
 * Secrets never printed: `netkit apply` and `netkit verify --live` with the real kubeconfig loader
 * and client library (lib/apply/kube.ts), against servers on 127.0.0.1 that fail in every way
 * the issue lists: a kubeconfig with a YAML syntax error, connection refused, a TLS error, 401 and
 * 403 answers that echo the request's credentials, and an exec plugin that fails echoing its args
 * and env. Each kubeconfig holds every kind of secret (the current user's credential and the other
 * users'); no run may print any of them, or a recognisable piece of one.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-secrets-'));

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: tmp, stdio: 'ignore' });
}

function b64(file: string): string {
  return fs.readFileSync(path.join(tmp, file)).toString('base64');
}

// The secrets, each distinctive so that any piece of it in the output is found.
const TOKEN = 'tok-Q7vX2mZp9LrT4wKc8bNy';
const PASSWORD = 'pw-H3jK8sL1qW6eR0tY';
const URL_PASSWORD = 'urlpw-Zx91Nm';
const CLIENT_SECRET = 'oidc-client-secret-Fq83Jd0s';
const REFRESH_TOKEN = 'oidc-refresh-Ub27Wc4n';
const EXEC_ARG = '--secret-arg=execarg-Pm45Ty7u';
const EXEC_ENV = 'execenv-Kd62Rv9x';
// An unexpired OIDC id-token (so the library sends it instead of refreshing against the issuer).
const ID_TOKEN = [
  Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url'),
  Buffer.from(JSON.stringify({ iss: 'https://127.0.0.1:1', sub: 'secret-subject-Hs83', exp: 4102444800 })).toString('base64url'),
  'c2lnbmF0dXJlLUJhNzJKcw',
].join('.');

let caData: string;
let keyData: string;
let certData: string;
let keyPem: string;
let otherCaData: string;
let server: https.Server;
let port: number;
let closedPort: number;
let mode: '401' | '403' = '401';
const dir = path.join(tmp, 'manifests');

beforeAll(async () => {
  // A CA and a serving certificate for 127.0.0.1; a client key and certificate; another CA (for the TLS error).
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=test-ca');
  openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(tmp, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt');
  openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=secret-client');
  openssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', 'client.crt');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.crt', '-days', '2', '-subj', '/CN=other-ca');
  caData = b64('ca.crt');
  keyData = b64('client.key');
  certData = b64('client.crt');
  keyPem = fs.readFileSync(path.join(tmp, 'client.key'), 'utf8');
  otherCaData = b64('other.crt');

  // A server that echoes everything it was sent in its error answers (the worst a proxy or API server could do).
  server = https.createServer({ key: fs.readFileSync(path.join(tmp, 'server.key')), cert: fs.readFileSync(path.join(tmp, 'server.crt')), requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const echo = `${req.method} ${req.url} headers=${JSON.stringify(req.headers)}`;
    const status = (code: number, reason: string): void => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code, message: `${reason}: ${echo}` }));
    };
    if (mode === '401') return status(401, 'Unauthorized');
    // 403: the API is reachable (version, discovery), every object request is refused.
    if (req.url === '/version') return void res.end(JSON.stringify({ gitVersion: 'v1.36.3' }));
    if (req.url?.startsWith('/api/v1') && !req.url.includes('/namespaces')) {
      return void res.end(JSON.stringify({ kind: 'APIResourceList', groupVersion: 'v1', resources: ['configmaps', 'secrets', 'namespaces', 'services', 'nodes', 'pods', 'endpoints'].map((name) => ({ name, kind: name === 'endpoints' ? 'Endpoints' : name[0].toUpperCase() + name.slice(1, -1).replace('map', 'Map'), namespaced: !['namespaces', 'nodes'].includes(name), verbs: ['get', 'list', 'patch', 'delete'] })) }));
    }
    return status(403, 'Forbidden');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  const probe = https.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));

  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'app.yaml'), stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '1' } }) +
    '---\n' + stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } }));
  // The exec plugin: fails, echoing its arguments and environment to stderr.
  fs.writeFileSync(path.join(tmp, 'plugin.sh'), `#!/bin/sh\necho "plugin failed; args: $*; env: SECRET_ENV=$SECRET_ENV" >&2\nexit 1\n`, { mode: 0o755 });
}, 60_000);

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every secret a kubeconfig here holds, and the pieces of them that must not show either. */
function secrets(): string[] {
  const basic = Buffer.from(`admin:${PASSWORD}`).toString('base64');
  const all = [TOKEN, PASSWORD, basic, URL_PASSWORD, CLIENT_SECRET, REFRESH_TOKEN, EXEC_ARG, EXEC_ENV, ID_TOKEN, keyData, certData];
  const pieces = all.flatMap((s) => [s, s.slice(2, 14), s.slice(-12)]);
  // The decoded client key (a middle line of the PEM).
  const keyLines = keyPem.split('\n').filter((l) => l.length > 40);
  return [...pieces, keyLines[3], keyLines[10]];
}

type Credential = 'token' | 'basic' | 'client-cert' | 'oidc' | 'exec' | 'url-userinfo';
type Failure = 'refused' | 'tls' | '401' | '403';

const USERS: Record<Credential, Record<string, unknown>> = {
  token: { token: TOKEN },
  basic: { username: 'admin', password: PASSWORD },
  'client-cert': { 'client-certificate-data': '', 'client-key-data': '' },
  oidc: { 'auth-provider': { name: 'oidc', config: { 'client-id': 'netkit', 'client-secret': CLIENT_SECRET, 'id-token': ID_TOKEN, 'refresh-token': REFRESH_TOKEN, 'idp-issuer-url': 'https://127.0.0.1:1' } } },
  exec: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: '', args: [EXEC_ARG, 'get-token'], env: [{ name: 'SECRET_ENV', value: EXEC_ENV }], interactiveMode: 'Never' } },
  'url-userinfo': { token: TOKEN },
};

/** A kubeconfig whose current user authenticates with `credential`; the other users hold the other secrets. */
function kubeconfig(credential: Credential, failure: Failure | 'exec-fails'): string {
  const users = (Object.keys(USERS) as Credential[]).map((name) => {
    const user = JSON.parse(JSON.stringify(USERS[name])) as Record<string, unknown>;
    if (name === 'client-cert') Object.assign(user, { 'client-certificate-data': certData, 'client-key-data': keyData });
    if (name === 'exec') (user.exec as Record<string, unknown>).command = path.join(tmp, 'plugin.sh');
    return { name, user };
  });
  const host = failure === 'refused' ? `127.0.0.1:${closedPort}` : `127.0.0.1:${port}`;
  const server = credential === 'url-userinfo' ? `https://admin:${URL_PASSWORD}@${host}` : `https://${host}`;
  const config = {
    apiVersion: 'v1', kind: 'Config', 'current-context': 'test',
    clusters: [{ name: 'test', cluster: { server, 'certificate-authority-data': failure === 'tls' ? otherCaData : caData } }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: credential } }],
    users,
  };
  const file = path.join(tmp, `kubeconfig-${credential}-${failure}`);
  fs.writeFileSync(file, stringify(config));
  return file;
}

interface Run { readonly code: number; readonly text: string }
interface CaseResult { readonly name: string; readonly apply: Run; readonly verify: Run }

/**
 * Run apply and verify for every kubeconfig in one child process (secrets-driver.ts under ts-node:
 * the client library is ES modules, which jest does not load), while this process serves them.
 */
function runAll(cases: readonly { readonly name: string; readonly kubeconfig: string }[]): Promise<Map<string, CaseResult>> {
  const root = path.join(__dirname, '..', '..');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules', '.bin', 'ts-node'), '--transpile-only', path.join(__dirname, 'secrets-driver.ts')], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`secrets-driver exited ${code}: ${err}`));
      resolve(new Map((JSON.parse(out) as CaseResult[]).map((r) => [r.name, r])));
    });
    child.stdin.end(JSON.stringify({ dir, cases }));
  });
}

const EXPECTED: Record<Failure, RegExp> = {
  refused: /ECONNREFUSED/,
  tls: /certificate|self.signed|unable to verify/i,
  '401': /401 Unauthorized/,
  '403': /403 Forbidden/,
};

describe('secrets are never printed', () => {
  const credentials: Credential[] = ['token', 'basic', 'client-cert', 'oidc', 'url-userinfo'];
  const failures = ['refused', 'tls', '401', '403'] as const;
  let results: Map<string, CaseResult>;

  /** Both commands' output for a case: it must show `expected` and no secret. */
  function check(name: string, expected: RegExp): void {
    const r = results.get(name);
    expect(r).toBeDefined();
    for (const run of [r?.apply, r?.verify]) {
      expect(run?.code).toBe(1);
      expect(run?.text).toMatch(expected);
      for (const s of secrets()) expect(run?.text).not.toContain(s);
    }
  }

  beforeAll(async () => {
    const cases: { name: string; kubeconfig: string }[] = [];
    for (const failure of failures) for (const credential of credentials) cases.push({ name: `${failure} ${credential}`, kubeconfig: kubeconfig(credential, failure) });
    cases.push({ name: 'exec-fails', kubeconfig: kubeconfig('exec', 'exec-fails') });
    for (const credential of [...credentials, 'exec'] as const) {
      const good = fs.readFileSync(kubeconfig(credential, '401'), 'utf8').split('\n');
      // A syntax error right after the current user's first secret.
      const at = good.findIndex((l) => /token:|password:|client-key-data:|args:|server:/.test(l));
      const file = path.join(tmp, `broken-${credential}`);
      fs.writeFileSync(file, [...good.slice(0, at + 1), '   bad: [unclosed', ...good.slice(at + 1)].join('\n'));
      cases.push({ name: `syntax ${credential}`, kubeconfig: file });
    }
    // The 403 server answers version and discovery: run those cases against it in a second batch.
    mode = '401';
    const first = await runAll(cases.filter((c) => !c.name.startsWith('403')));
    mode = '403';
    const second = await runAll(cases.filter((c) => c.name.startsWith('403')));
    results = new Map([...first, ...second]);
  }, 180_000);

  for (const failure of failures) {
    for (const credential of credentials) {
      test(`${failure}, current user's credential: ${credential}`, () => check(`${failure} ${credential}`, EXPECTED[failure]));
    }
  }

  test('an exec plugin that fails echoing its args and env', () => {
    check('exec-fails', /plugin failed; args: <redacted> <redacted>; env: SECRET_ENV=<redacted>/);
  });

  test('a kubeconfig with a YAML syntax error: file, line and column, none of its content', () => {
    for (const credential of [...credentials, 'exec']) {
      const file = path.join(tmp, `broken-${credential}`);
      check(`syntax ${credential}`, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: the kubeconfig is not valid YAML`));
    }
  });
});
