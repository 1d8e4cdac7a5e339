/* global setTimeout, clearTimeout */
/**
 * The agent of the data-plane step (test/cluster/dataplane): one process inside each network
 * namespace the step creates, driven by the suite (test/dataplane/run.ts) over a unix socket.
 * A unix socket is a file, so it crosses network namespaces; nothing here listens on a network
 * address outside the namespace it runs in. Plain JavaScript on Node's standard library, so it
 * starts in a fraction of a second under `ip netns exec`.
 *
 *   node agent.js --control SOCK [--device DEV] [--forward HOST:PORT=UNIXSOCK]
 *   node agent.js --relay UNIXSOCK=HOST:PORT      (host side of the API server relay)
 *
 * --forward listens on HOST:PORT inside the namespace and pipes each connection to UNIXSOCK;
 * --relay listens on UNIXSOCK and pipes each connection to HOST:PORT (the host's loopback).
 * Together they let kube-proxy inside a node namespace reach the API server on the host's
 * 127.0.0.1 while the namespace itself has no route out.
 *
 * Control requests (one JSON line in, one JSON line out, then the connection closes):
 *   {"op":"serve","endpoints":[{"name","ip","ports":[{"port","protocol"}]}]}
 *       make exactly these addresses exist on DEV (/32) and answer on each (ip, port, protocol)
 *       with the endpoint's name: TCP sends it and closes, UDP replies to each datagram. An
 *       endpoint with "own": true uses an address the namespace has already (not added/removed).
 *   {"op":"probe","src","dst","port","protocol","count","timeoutMs","concurrency","ports"?}
 *       open `count` connections (TCP) or exchanges (UDP, one fresh socket each) from `src`
 *       (optional source address) and count the answers by text and the failures by class:
 *       refused (RST / ICMP port unreachable), timeout, unreachable (no route / host unreachable),
 *       other:<code>. Each connection gets a source port this agent has not used before for the
 *       same (src, dst, port, protocol), so no probe meets the conntrack entry of an earlier one
 *       (see nextPort); `ports` instead reuses exactly those source ports (one connection each).
 *       The answer lists the source ports of timed-out connections (`timeoutPorts`, at most 256).
 *   {"op":"http","url","timeoutMs"}          GET, returns {status, body}
 *   {"op":"route","dst","via"}               ip route replace DST via VIA ("via": null deletes)
 *   {"op":"routes","routes":[{"dst","via"?,"dev"?}]}
 *       make exactly these extra routes exist (added by this op; others are left alone)
 */
'use strict';
const net = require('net');
const dgram = require('dgram');
const fs = require('fs');
const http = require('http');
const { execFileSync } = require('child_process');

function parseArgs(argv) {
  const a = {};
  for (let i = 0; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1];
  return a;
}

function listenUnix(path, onConn) {
  try { fs.unlinkSync(path); } catch { /* not there */ }
  const server = net.createServer(onConn);
  server.listen(path, () => fs.chmodSync(path, 0o600));
  return server;
}

function pipe(a, b) {
  a.pipe(b);
  b.pipe(a);
  const end = () => { a.destroy(); b.destroy(); };
  a.on('error', end);
  b.on('error', end);
  a.on('close', end);
  b.on('close', end);
}

function hostPort(s) {
  const i = s.lastIndexOf(':');
  return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
}

// ---------------------------------------------------------------- serving endpoints

const served = new Map(); // "ip|port|proto" -> server
const addresses = new Set();

function ip(args) {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function listen(key, ep, p) {
  return new Promise((resolve, reject) => {
    if (p.protocol === 'UDP') {
      const s = dgram.createSocket('udp4');
      s.on('message', (_msg, rinfo) => s.send(`${ep.name}\n`, rinfo.port, rinfo.address));
      s.once('error', reject);
      s.bind(p.port, ep.ip, () => { served.set(key, s); resolve(); });
    } else {
      const s = net.createServer((c) => { c.on('error', () => undefined); c.end(`${ep.name}\n`); });
      s.once('error', reject);
      s.listen({ port: p.port, host: ep.ip, backlog: 1024 }, () => { served.set(key, s); resolve(); });
    }
  });
}

async function serve(device, endpoints) {
  // An endpoint marked `own` answers on an address the namespace already has (a hostNetwork
  // pod's IP is its node's): no address is added or removed for it.
  const wantAddr = new Set(endpoints.filter((e) => !e.own).map((e) => e.ip));
  const want = new Map();
  for (const e of endpoints) for (const p of e.ports) want.set(`${e.ip}|${p.port}|${p.protocol}|${e.name}`, { e, p });
  for (const [key, s] of served) {
    if (!want.has(key)) { s.close(); served.delete(key); }
  }
  // New addresses before old ones go, so the link never runs out of addresses (and routes).
  for (const a of wantAddr) {
    if (!addresses.has(a)) { ip(['addr', 'add', `${a}/32`, 'dev', device]); addresses.add(a); }
  }
  for (const a of addresses) {
    if (!wantAddr.has(a)) { ip(['addr', 'del', `${a}/32`, 'dev', device]); addresses.delete(a); }
  }
  const skipped = [];
  for (const [key, { e, p }] of want) {
    if (served.has(key)) continue;
    if (p.protocol !== 'TCP' && p.protocol !== 'UDP') { skipped.push(`${e.name} ${p.port}/${p.protocol}`); continue; }
    await listen(key, e, p);
  }
  return { addresses: addresses.size, sockets: served.size, skipped };
}

// ---------------------------------------------------------------- probing

function failureClass(err) {
  const code = err && err.code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return 'refused';
  if (code === 'ETIMEDOUT' || code === 'TIMEOUT') return 'timeout';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'unreachable';
  return `other:${code || String(err)}`;
}

// Source ports. Every connection of a probe is a new 5-tuple: a node's conntrack keeps the
// translation of a TCP connection that never completed (SYN_SENT, 120 s by default,
// nf_conntrack_tcp_timeout_syn_sent), and kube-proxy clears stale conntrack entries of removed
// endpoints only for UDP (CleanStaleEntries in pkg/proxy/conntrack/cleanup.go). A SYN that reuses
// such a tuple is taken as a retransmission and follows the old DNAT, possibly to a pod that is
// gone, whereas a trace answers for a new connection. The kernel's own choice (bind to port 0)
// is random and repeats a port now and then; here a cursor per (src, dst, port, protocol) walks
// the whole range first (51,000 ports, far more than the connections of one run to one address).
const PORT_LO = 10000;
const PORT_HI = 60999;
const cursors = new Map();

function nextPort(key) {
  let c = cursors.get(key);
  if (c === undefined) c = PORT_LO + Math.floor(Math.random() * (PORT_HI - PORT_LO + 1));
  const port = c;
  cursors.set(key, c >= PORT_HI ? PORT_LO : c + 1);
  return port;
}

/** One attempt with a fixed source port; EADDRINUSE (a local socket holds it) is reported as such. */
function tcpAttempt(o, localPort) {
  return new Promise((resolve) => {
    let text = '';
    let settled = false;
    const done = (r) => { if (!settled) { settled = true; clearTimeout(timer); sock.destroy(); resolve(r); } };
    const sock = net.connect({ host: o.dst, port: o.port, localPort, ...(o.src ? { localAddress: o.src } : {}) });
    const timer = setTimeout(() => done({ error: 'timeout' }), o.timeoutMs);
    sock.setEncoding('utf8');
    sock.on('data', (d) => { text += d; });
    sock.on('end', () => done(text.trim() ? { answer: text.trim() } : { error: 'refused' }));
    sock.on('error', (e) => done(e && e.code === 'EADDRINUSE' ? { inUse: true } : { error: failureClass(e) }));
  });
}

function udpAttempt(o, localPort) {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    let settled = false;
    const done = (r) => { if (!settled) { settled = true; clearTimeout(timer); try { sock.close(); } catch { /* closed */ } resolve(r); } };
    const timer = setTimeout(() => done({ error: 'timeout' }), o.timeoutMs);
    sock.on('message', (m) => done({ answer: m.toString('utf8').trim() }));
    // A connected UDP socket reports the ICMP port unreachable of a REJECT as ECONNREFUSED.
    sock.on('error', (e) => done(e && e.code === 'EADDRINUSE' ? { inUse: true } : { error: failureClass(e) }));
    sock.bind({ port: localPort, ...(o.src ? { address: o.src } : {}) }, () => {
      sock.connect(o.port, o.dst, (err) => {
        if (err) return done({ error: failureClass(err) });
        sock.send('?', (e) => { if (e) done({ error: failureClass(e) }); });
      });
    });
  });
}

/** One connection on a fresh source port (or the given one); a port in local use is skipped, a few times at most. */
async function once(o, key, fixedPort) {
  const attempt = o.protocol === 'UDP' ? udpAttempt : tcpAttempt;
  if (fixedPort !== undefined) {
    const r = await attempt(o, fixedPort);
    return { ...(r.inUse ? { error: 'other:EADDRINUSE' } : r), port: fixedPort };
  }
  for (let i = 0; i < 8; i++) {
    const port = nextPort(key);
    const r = await attempt(o, port);
    if (!r.inUse) return { ...r, port };
  }
  return { error: 'other:EADDRINUSE' };
}

async function probe(o) {
  const key = `${o.src || ''}|${o.dst}|${o.port}|${o.protocol}`;
  const fixed = Array.isArray(o.ports) ? o.ports : undefined;
  const count = fixed ? fixed.length : o.count;
  const answers = {};
  const errors = {};
  const timeoutPorts = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const r = await once(o, key, fixed ? fixed[i] : undefined);
      if (r.answer !== undefined) answers[r.answer] = (answers[r.answer] || 0) + 1;
      else errors[r.error] = (errors[r.error] || 0) + 1;
      if (r.error === 'timeout' && timeoutPorts.length < 256) timeoutPorts.push(r.port);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency || 16, count)) }, worker));
  return { answers, errors, timeoutPorts };
}

function httpGet(o) {
  return new Promise((resolve) => {
    const req = http.get(o.url, { timeout: o.timeoutMs || 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e) => resolve({ error: failureClass(e) }));
  });
}

// ---------------------------------------------------------------- extra routes

const extraRoutes = new Map(); // dst -> "via X" / "dev D"

function setRoutes(routes) {
  const want = new Map(routes.map((r) => [r.dst, r.via ? `via ${r.via}` : `dev ${r.dev}`]));
  for (const [dst, how] of want) {
    if (extraRoutes.get(dst) === how) continue;
    ip(['route', 'replace', dst, ...how.split(' ')]);
    extraRoutes.set(dst, how);
  }
  for (const dst of [...extraRoutes.keys()]) {
    if (want.has(dst)) continue;
    try { ip(['route', 'del', dst]); } catch { /* gone with its link */ }
    extraRoutes.delete(dst);
  }
  return { routes: extraRoutes.size };
}

// ---------------------------------------------------------------- main

async function handle(device, req) {
  switch (req.op) {
    case 'serve': return serve(device, req.endpoints);
    case 'probe': return probe(req);
    case 'http': return httpGet(req);
    case 'route':
      if (req.via) ip(['route', 'replace', req.dst, 'via', req.via]);
      else { try { ip(['route', 'del', req.dst]); } catch { /* not there */ } }
      return {};
    case 'routes': return setRoutes(req.routes);
    case 'ping': return { pid: process.pid };
    default: throw new Error(`unknown op ${req.op}`);
  }
}

function main() {
  const a = parseArgs(process.argv.slice(2));
  if (a.relay) {
    const [sock, target] = a.relay.split('=');
    const { host, port } = hostPort(target);
    listenUnix(sock, (c) => pipe(c, net.connect({ host, port })));
  }
  if (a.forward) {
    const [listenAt, sock] = a.forward.split('=');
    const { host, port } = hostPort(listenAt);
    net.createServer((c) => pipe(c, net.connect(sock))).listen(port, host);
  }
  if (a.control) {
    const device = a.device || 'eth0';
    listenUnix(a.control, (c) => {
      let buf = '';
      c.setEncoding('utf8');
      c.on('error', () => undefined);
      c.on('data', (d) => {
        buf += d;
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = '';
        Promise.resolve()
          .then(() => handle(device, JSON.parse(line)))
          .then((r) => c.end(`${JSON.stringify({ ok: true, result: r })}\n`),
            (e) => c.end(`${JSON.stringify({ ok: false, error: String(e && e.stderr ? e.stderr : e) })}\n`));
      });
    });
  }
  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
