/** The Gateway API conformance expectations (test/conformance/gateway-api-suite.ts) as jest cases, and the generated report. */
import * as fs from 'fs';
import { REPORT_FILE, renderReport } from '../../scripts/conformance-report';
import { CASES, runCase } from './gateway-api-suite';

describe.each(['GATEWAY-HTTP', 'GATEWAY-GRPC', 'GATEWAY-TLS', 'MESH-HTTP'] as const)('%s', (profile) => {
  const cases = CASES.filter((c) => c.profile === profile);
  const supported = cases.filter((c) => !c.unsupported);
  test.each(supported.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const outcomes = runCase(c);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => !o.ok).map((o) => o.detail)).toEqual([]);
  });
  const skipped = cases.filter((c) => c.unsupported);
  if (skipped.length > 0) test.skip.each(skipped.map((c) => [`${c.name} (unsupported: ${c.unsupported})`] as const))('%s', () => undefined);
});

describe('docs/conformance.md', () => {
  test('is the current output of npm run conformance:report', () => {
    expect(fs.readFileSync(REPORT_FILE, 'utf8')).toBe(renderReport());
  });
});
