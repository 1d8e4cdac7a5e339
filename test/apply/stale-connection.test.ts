/**
 * A kept-alive connection the API server closed while the client was busy (seen in CI: a GET
 * written to it failed with EPIPE after a long build). Reads are sent again once on a new
 * connection, as Go's net/http does for idempotent requests; an apply is not resent (apply.ts
 * reports its answer as lost). The real client library runs in a child (stale-driver.ts) against
 * a TLS server on 127.0.0.1 that drops the next request arriving on a reused connection.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import type { AddressInfo, Socket } from 'net';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-stale-'));
let server: https.Server;
let kubeconfig: string;
/** Requests the server received, `METHOD path`, in order; `(dropped)` marks the one it cut off. */
const seen: string[] = [];
/** When set, the next request of this method that arrives on a connection already used is cut off without an answer. */
let dropNextReused: 'GET' | 'PATCH' | undefined;
const used = new WeakSet<Socket>();

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: tmp, stdio: 'ignore' });
}

beforeAll(async () => {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=test-ca');
  openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(tmp, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt');
  server = https.createServer({ key: fs.readFileSync(path.join(tmp, 'server.key')), cert: fs.readFileSync(path.join(tmp, 'server.crt')) }, (req, res) => {
    const line = `${req.method} ${req.url?.split('?')[0]}`;
    if (dropNextReused === req.method && used.has(req.socket)) {
      dropNextReused = undefined;
      seen.push(`${line} (dropped)`);
      req.socket.destroy();
      return;
    }
    used.add(req.socket);
    seen.push(line);
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/version') return void res.end(JSON.stringify({ gitVersion: 'v1.36.3' }));
    if (req.url === '/api/v1') {
      return void res.end(JSON.stringify({ kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['get', 'list', 'patch', 'delete'] }] }));
    }
    req.resume();
    req.on('end', () => res.end(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop', uid: 'u1', resourceVersion: '1' }, data: { a: '1' } })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  kubeconfig = path.join(tmp, 'kubeconfig');
  fs.writeFileSync(kubeconfig, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'test',
    clusters: [{ name: 'test', cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority-data': fs.readFileSync(path.join(tmp, 'ca.crt')).toString('base64') } }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: 'test' } }],
    users: [{ name: 'test', user: { token: 'abc' } }],
  }));
}, 60_000);

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Runs the calls in a child process with one client (one kept-alive connection, reused). */
function drive(...calls: string[]): Promise<string[]> {
  const root = path.join(__dirname, '..', '..');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules', '.bin', 'ts-node'), '--transpile-only', path.join(__dirname, 'stale-driver.ts'), kubeconfig, ...calls], { cwd: root });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`stale-driver exited ${code}: ${err}`))));
  });
}

describe('a kept-alive connection the server closed', () => {
  beforeEach(() => { seen.length = 0; });

  test('a read on it is sent again once, on a new connection, and answers', async () => {
    dropNextReused = 'GET';
    const out = await drive('version', 'get');
    expect(out).toEqual(['version v1.36.3', 'get settings']);
    // version opened the connection; discovery for the GET went out on it and was cut off, then again.
    expect(seen).toEqual(['GET /version', 'GET /api/v1 (dropped)', 'GET /api/v1', 'GET /api/v1/namespaces/shop/configmaps/settings']);
  }, 60_000);

  test('an apply on it is not sent again: the error reaches the caller, the server saw it once', async () => {
    dropNextReused = 'PATCH';
    const again = await drive('get', 'apply');
    expect(again[0]).toBe('get settings');
    expect(again[1]).toMatch(/^apply failed: cannot talk to https:\/\/127\.0\.0\.1:\d+ \(context test\): .*(ECONNRESET|socket hang up|EPIPE)/);
    expect(seen.filter((l) => l.startsWith('PATCH'))).toEqual(['PATCH /api/v1/namespaces/shop/configmaps/settings (dropped)']);
  }, 60_000);
});
