/** The testing API's `from` takes the CLI's workload forms too (`deploy/NAME`, `sts/NAME`). */
import { App } from 'cdk8s';
import { checkRoute, simulate } from '../../lib/testing';
import '../../lib/testing/jest';
import { buildExamplesApp } from '../../examples/main';

const sim = simulate(buildExamplesApp(new App()));

describe('from: workload forms', () => {
  test('deploy/NAME and sts/NAME start at the first ready pod of the workload', () => {
    expect(sim).toRouteTcp('postgres-rw.data:5432', { from: 'deploy/web', to: 'app=postgres' });
    // A short name resolves in the source pod's namespace: from the StatefulSet's pod, `postgres-rw` is data's.
    expect(sim).toRouteTcp('postgres-rw:5432', { from: 'sts/postgres', to: 'app=postgres' });
    expect(sim).toFailToRoute('postgres-rw:5432', 'nxdomain', 'deploy/web');
  });

  test('a workload that has no pods is an error saying so', () => {
    expect(() => checkRoute(sim, 'web.web:80', { from: 'deploy/nope' })).toThrow('no source deploy/nope in the simulation to send the request from: no deployment nope with pods in any namespace');
    expect(() => checkRoute(sim, 'web.web:80', { from: 'app=nobody' })).toThrow('no pod has these labels');
  });
});
