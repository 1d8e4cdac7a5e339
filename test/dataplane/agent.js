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
 *       with the endpoint's name: TCP sends it and closes, UDP replies to each datagram.
 *   {"op":"probe","src","dst","port","protocol","count","timeoutMs","concurrency"}
 *       open `count` connections (TCP) or exchanges (UDP, one fresh socket each) from `src`
 *       (optional source address) and count the answers by text and the failures by class:
 *       refused (RST / ICMP port unreachable), timeout, unreachable (no route / host unreachable),
 *       other:<code>.
 *   {"op":"http","url","timeoutMs"}          GET, returns {status, body}
 *   {"op":"route","dst","via"}               ip route replace DST via VIA ("via": null deletes)
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
  const wantAddr = new Set(endpoints.map((e) => e.ip));
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

function tcpOnce(o) {
  return new Promise((resolve) => {
    let text = '';
    let settled = false;
    const done = (r) => { if (!settled) { settled = true; clearTimeout(timer); sock.destroy(); resolve(r); } };
    const sock = net.connect({ host: o.dst, port: o.port, ...(o.src ? { localAddress: o.src } : {}) });
    const timer = setTimeout(() => done({ error: 'timeout' }), o.timeoutMs);
    sock.setEncoding('utf8');
    sock.on('data', (d) => { text += d; });
    sock.on('end', () => done(text.trim() ? { answer: text.trim() } : { error: 'refused' }));
    sock.on('error', (e) => done({ error: failureClass(e) }));
  });
}

function udpOnce(o) {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    let settled = false;
    const done = (r) => { if (!settled) { settled = true; clearTimeout(timer); try { sock.close(); } catch { /* closed */ } resolve(r); } };
    const timer = setTimeout(() => done({ error: 'timeout' }), o.timeoutMs);
    sock.on('message', (m) => done({ answer: m.toString('utf8').trim() }));
    // A connected UDP socket reports the ICMP port unreachable of a REJECT as ECONNREFUSED.
    sock.on('error', (e) => done({ error: failureClass(e) }));
    sock.bind({ port: 0, ...(o.src ? { address: o.src } : {}) }, () => {
      sock.connect(o.port, o.dst, (err) => {
        if (err) return done({ error: failureClass(err) });
        sock.send('?', (e) => { if (e) done({ error: failureClass(e) }); });
      });
    });
  });
}

async function probe(o) {
  const once = o.protocol === 'UDP' ? udpOnce : tcpOnce;
  const answers = {};
  const errors = {};
  let next = 0;
  const worker = async () => {
    while (next < o.count) {
      next++;
      const r = await once(o);
      if (r.answer !== undefined) answers[r.answer] = (answers[r.answer] || 0) + 1;
      else errors[r.error] = (errors[r.error] || 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency || 16, o.count)) }, worker));
  return { answers, errors };
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
