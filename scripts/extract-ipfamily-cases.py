#!/usr/bin/env python3
"""Extract the expectations of kubernetes' TestCreateInitIPFields (pkg/registry/core/service/storage/
storage_test.go) into test/engine/fixtures/init-ip-fields-cases.json: for each cluster family
layout and each case, the Service's tweaks and what the API server must answer (error, or the
filled ipFamilyPolicy and ipFamilies). Only the facts are kept (inputs and expected outputs).

Usage: scripts/extract-ipfamily-cases.py ~/go/pkg/mod/k8s.io/kubernetes@v1.36.3 > test/engine/fixtures/init-ip-fields-cases.json
"""
import json, re, sys

src = open(sys.argv[1] + '/pkg/registry/core/service/storage/storage_test.go').read()
body = src[src.index('func TestCreateInitIPFields'):]
body = body[:body.index('\nfunc ', 10)]
FAM = {'api.IPv4Protocol': 'IPv4', 'api.IPv6Protocol': 'IPv6'}
POL = {'api.IPFamilyPolicySingleStack': 'SingleStack', 'api.IPFamilyPolicyPreferDualStack': 'PreferDualStack', 'api.IPFamilyPolicyRequireDualStack': 'RequireDualStack'}

layouts = []
for m in re.finditer(r'clusterFamilies:\s*\[\]api\.IPFamily\{([^}]*)\}', body):
    layouts.append((m.start(), [FAM[f.strip()] for f in m.group(1).split(',') if f.strip()]))

def layout_at(pos):
    cur = None
    for start, fams in layouts:
        if start <= pos: cur = fams
    return cur

out = []
starts = [m for m in re.finditer(r'name:\s*"([^"]+)",\s*line:\s*line\(\)', body)]
for i, m in enumerate(starts):
    chunk = body[m.end():starts[i + 1].start() if i + 1 < len(starts) else len(body)]
    name, tweaks, rest = m.group(1), chunk, chunk
    svc = {'clusterIP': None, 'clusterIPs': None, 'ipFamilies': None, 'ipFamilyPolicy': None, 'selector': True}
    for t in re.finditer(r'svctest\.(\w+)(\(([^()]*)\))?', tweaks):
        fn, args = t.group(1), t.group(3) or ''
        if fn == 'MakeService': continue
        if fn == 'SetHeadless':
            svc['clusterIP'] = 'None'; svc['clusterIPs'] = ['None']
        elif fn == 'SetSelector':
            assert args.strip() == 'nil', args
            svc['selector'] = False
        elif fn == 'SetClusterIPs':
            ips = re.findall(r'"([^"]*)"', args)
            if 'api.ClusterIPNone' in args: ips = ['None']
            svc['clusterIP'] = ips[0]; svc['clusterIPs'] = ips
        elif fn == 'SetIPFamilies':
            svc['ipFamilies'] = [FAM[a.strip()] for a in args.split(',') if a.strip()]
        elif fn == 'SetIPFamilyPolicy':
            svc['ipFamilyPolicy'] = POL[args.strip()]
        else:
            raise SystemExit('unknown tweak ' + fn)
    err = re.search(r'expectError:\s*true', rest) is not None
    pol = re.search(r'expectPolicy:\s*(api\.\w+)', rest)
    fams = re.search(r'expectFamilies:\s*\[\]api\.IPFamily\{([^}]*)\}', rest)
    out.append({
        'cluster': layout_at(m.start()), 'name': name, 'service': svc, 'expectError': err,
        **({} if err else {'expectPolicy': POL[pol.group(1)], 'expectFamilies': [FAM[f.strip()] for f in fams.group(1).split(',') if f.strip()]}),
    })
json.dump({'source': 'kubernetes v1.36.3 pkg/registry/core/service/storage/storage_test.go TestCreateInitIPFields', 'cases': out}, sys.stdout, indent=1)
print()
