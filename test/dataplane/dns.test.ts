import { answerDifference, parseDig, parseGetent, podResolvConf } from './dns';

// The shape of `dig +noall +comments +question +answer -f FILE` (BIND 9.18) for two queries.
const DIG = `;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242
;; flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1
;; WARNING: recursion requested but not available

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
; COOKIE: 0123456789abcdef (good)
;; QUESTION SECTION:
;_http._tcp.web.demo.svc.cluster.local. IN SRV

;; ANSWER SECTION:
_http._tcp.web.demo.svc.cluster.local. 5 IN SRV	0 50 80 web-0.web.demo.svc.cluster.local.
_http._tcp.web.demo.svc.cluster.local. 5 IN SRV	0 50 80 web-1.web.demo.svc.cluster.local.

;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 4243
;; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1
;; QUESTION SECTION:
;nosuch.demo.svc.cluster.local.	IN	A

`;

describe('parseDig', () => {
  it('reads each answer of a batch with its question, rcode and records', () => {
    expect(parseDig(DIG)).toEqual([
      {
        name: '_http._tcp.web.demo.svc.cluster.local', type: 'SRV',
        answer: { rcode: 'NOERROR', records: ['SRV _http._tcp.web.demo.svc.cluster.local 0 50 80 web-0.web.demo.svc.cluster.local', 'SRV _http._tcp.web.demo.svc.cluster.local 0 50 80 web-1.web.demo.svc.cluster.local'] },
      },
      { name: 'nosuch.demo.svc.cluster.local', type: 'A', answer: { rcode: 'NXDOMAIN', records: [] } },
    ]);
  });
});

describe('parseGetent', () => {
  it('takes the addresses and the canonical name of the first line', () => {
    const text = '10.96.0.10      STREAM web.demo.svc.cluster.local\n10.96.0.10      DGRAM  \n10.96.0.10      RAW    \n';
    expect(parseGetent(text)).toEqual({ ips: ['10.96.0.10'], canonical: 'web.demo.svc.cluster.local' });
  });
});

describe('podResolvConf', () => {
  it('writes the search list and ndots of a ClusterFirst pod', () => {
    expect(podResolvConf('127.0.53.1', 'demo', 'cluster.local', 5)).toBe(
      'nameserver 127.0.53.1\nsearch demo.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5 attempts:1 timeout:2\n');
  });
});

describe('answerDifference', () => {
  it('is undefined for equal answers and names both sides otherwise', () => {
    const a = { rcode: 'NOERROR', records: ['A x 10.0.0.1'] };
    expect(answerDifference('x A', a, { rcode: 'NOERROR', records: ['A x 10.0.0.1'] })).toBeUndefined();
    expect(answerDifference('x A', a, { rcode: 'NXDOMAIN', records: [] })).toBe('x A: engine NOERROR [A x 10.0.0.1], CoreDNS NXDOMAIN []');
    expect(answerDifference('x A', a, undefined)).toBe('x A: no answer from CoreDNS');
  });
});
