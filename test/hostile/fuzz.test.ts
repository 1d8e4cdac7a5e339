/**
 * A bounded property run inside `npm test` (a few hundred generated manifests through loader,
 * budget, engine, rules, routes, traces and graph; `npm run fuzz` runs 100,000+). fast-check
 * shrinks a failure to a small manifest and prints its seed to replay it.
 */
import fc from 'fast-check';
import { fuzzInput, runPipeline } from './fuzz-pipeline';

jest.setTimeout(120_000);

test('generated manifests never crash, hang or print control characters at any stage', () => {
  fc.assert(fc.property(fuzzInput(), (input) => { runPipeline(input); }), {
    numRuns: Number(process.env.NETKIT_FUZZ_RUNS ?? 300),
    // Bounded in time whatever the machine's load: the full run is `npm run fuzz`.
    interruptAfterTimeLimit: 50_000,
  });
});
