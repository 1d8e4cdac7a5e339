// Architecture rules for lib/ (see ARCHITECTURE.md), checked by `npm run lint`:
// no import cycle (type-only imports included: a cycle of types is still a tangle of jobs), and
// each layer imports only the layers listed for it below. Zero exceptions: fix the code, not this file.

/** What each folder (or top-level file) of lib/ may import besides itself; bottom first. */
const LAYERS = {
  core: [],
  manifest: ['core'],
  k8s: ['core'],
  imports: [],
  engine: ['core', 'manifest', 'k8s'],
  rules: ['core', 'manifest', 'k8s', 'engine'],
  report: ['core', 'manifest', 'k8s', 'engine', 'rules'],
  constructs: ['core', 'k8s', 'imports', 'rules'],
  plugin: ['core', 'manifest', 'k8s', 'rules'],
  graph: ['core', 'manifest', 'k8s', 'engine', 'rules', 'report'],
  apply: ['core', 'manifest', 'k8s', 'engine', 'rules', 'report'],
  'runtime.ts': ['core', 'manifest', 'k8s', 'engine'],
  'index.ts': ['core', 'manifest', 'k8s', 'engine', 'rules', 'constructs', 'plugin', 'graph', 'runtime.ts'],
  diff: ['core', 'manifest', 'k8s', 'engine', 'rules', 'report'],
  testing: ['core', 'manifest', 'k8s', 'engine', 'rules', 'report', 'diff'],
  cli: ['core', 'manifest', 'k8s', 'engine', 'rules', 'report', 'graph', 'apply', 'diff'],
};

const esc = (s) => s.replace(/[.]/g, '\\.');
const layerPath = (name) => `^lib/${esc(name)}${name.endsWith('.ts') ? '$' : '/'}`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'An import cycle: move the shared part into a module below both.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve cannot be checked against the layers.',
      from: {},
      to: { couldNotResolve: true },
    },
    ...Object.entries(LAYERS).map(([layer, allowed]) => {
      const others = Object.keys(LAYERS).filter((o) => o !== layer && !allowed.includes(o));
      return {
        name: `layer-${layer.replace(/\.ts$/, '')}`,
        severity: 'error',
        comment: `lib/${layer} may import only ${allowed.length ? allowed.map((a) => `lib/${a}`).join(', ') : 'itself'} (layers in .dependency-cruiser.cjs and ARCHITECTURE.md)`,
        from: { path: layerPath(layer) },
        to: { path: others.map(layerPath) },
      };
    }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too (a back-edge through a type is still a back-edge).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.dev.json' },
    // Only lib/ is layered; node builtins and packages are leaves.
    includeOnly: '^lib/',
    reporterOptions: { text: { highlightFocused: true } },
  },
};
