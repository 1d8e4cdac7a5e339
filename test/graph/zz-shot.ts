import * as fs from 'fs';
import { App } from 'cdk8s';
import { chromium } from 'playwright-core';
import { graphFromObjects } from '../../lib/graph/build';
import { renderGraphHtml } from '../../lib/graph/html';
import { BookinfoMeshChart } from '../../examples/bookinfo-mesh';
import { synthesizeObjects } from '../../lib/testing/simulate';
import { allExamplesObjects } from './support';
import { loadManifests } from '../../lib/manifest';
(async () => {
  const app = new App(); new BookinfoMeshChart(app, 'b');
  const sets: Record<string, any> = { bookinfo: synthesizeObjects(app), all: allExamplesObjects(), msd: loadManifests(['test/fixtures/microservices-demo']).objects };
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  for (const [name, objs] of Object.entries(sets)) {
    if (process.argv[2] && process.argv[2] !== name) continue;
    const { graph } = graphFromObjects(objs);
    fs.writeFileSync(`/tmp/g/${name}.html`, renderGraphHtml(graph));
    for (const [w, h] of [[1400, 900], [1920, 1080]]) {
      const p = await b.newPage({ viewport: { width: w, height: h } });
      p.on('pageerror', (e) => console.log('ERR', e.message));
      p.on('console', (m) => console.log('console', m.text()));
      await p.goto(`file:///tmp/g/${name}.html`);
      await p.waitForSelector('body[data-ready="true"]');
      await p.screenshot({ path: `/tmp/g/${name}-${w}.png` });
      await p.close();
    }
  }
  await b.close();
})();
