#!/usr/bin/env node
// One cdk8s program, run as a whole process by bench/compare.ts (the synth row of issue 21):
// PAIRS Deployment + Service pairs in one chart, written by `app.synth()` to OUTDIR, with either
// netkit's constructs or cdk8s-plus-33's. Plain JavaScript so that both sides pay only their own
// module loading and construct code, not a TypeScript compiler.
//
//   node bench/synth-app.js netkit <path to cdk8s-netkit's index.js> <pairs> <outdir>
//   node bench/synth-app.js plus cdk8s-plus-33 <pairs> <outdir>
//
// Both sides describe the same objects: 2 replicas, one container `app` with port 8080 named
// http, a ClusterIP Service on port 80 to that port, selecting the Deployment's pods.
'use strict';
const [library, modulePath, pairsText, outdir] = process.argv.slice(2);
const pairs = Number(pairsText);
if (!['netkit', 'plus'].includes(library) || !modulePath || !(pairs > 0) || !outdir) {
  process.stderr.write('usage: node bench/synth-app.js netkit|plus <module> <pairs> <outdir>\n');
  process.exit(1);
}

const { App, Chart } = require('cdk8s');
const lib = require(modulePath);
const app = new App({ outdir });
const chart = new Chart(app, 'bench', { namespace: 'bench' });
for (let i = 0; i < pairs; i++) {
  const name = `app-${i}`;
  if (library === 'netkit') {
    const deployment = new lib.Deployment(chart, `${name}-deploy`, {
      replicas: 2,
      podLabels: { app: name },
      containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', ports: [{ containerPort: 8080, name: 'http' }] }],
    });
    new lib.Service(chart, `${name}-svc`, { metadata: { name }, selector: deployment, ports: [{ port: 80, targetPort: 'http', name: 'http' }] });
  } else {
    const deployment = new lib.Deployment(chart, `${name}-deploy`, {
      replicas: 2,
      containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', ports: [{ number: 8080, name: 'http' }] }],
    });
    new lib.Service(chart, `${name}-svc`, { metadata: { name }, ports: [{ port: 80, targetPort: 8080, name: 'http' }] }).select(deployment);
  }
}
app.synth();
