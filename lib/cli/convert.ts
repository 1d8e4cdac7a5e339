/**
 * `netkit convert ingress <paths>`: Ingresses to Gateway + HTTPRoutes (lib/diff/convert.ts) as
 * YAML, JSON or cdk8s TypeScript, with what was not translated on stderr. Exit 0 when everything
 * was translated, 2 when something was not (the output is still written), 1 for bad input.
 */
import { stringify } from 'yaml';
import { convertIngresses, type ConvertResult } from '../diff/convert';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type CliIO } from './io';
import { type InputCommandOptions, inputOptions, loadInputs } from './load';
import { escapeText } from '../report/text';
import { convertedToTypeScript } from '../diff/convert-ts';

/** Options of {@link runConvertIngress}. */
export interface ConvertCommandOptions extends InputCommandOptions {
  readonly output: 'yaml' | 'json';
  /** `typescript`: a cdk8s Chart with this library's constructs instead of manifests. */
  readonly lang?: 'typescript';
  readonly gatewayClass?: string;
  /** Module the TypeScript imports the constructs from. */
  readonly importFrom?: string;
  /** Write the input's other objects too (everything but Ingresses and IngressClasses). */
  readonly all?: boolean;
}

/** Run the command; returns the exit code. */
export function runConvertIngress(paths: readonly string[], opts: ConvertCommandOptions, io: CliIO): number {
  const inputs = loadInputs(paths, undefined, inputOptions(opts, io));
  if (inputs.problems.length > 0) {
    for (const p of inputs.problems) io.stderr.write(`error: ${p}\n`);
    return EXIT_ERROR;
  }
  const r: ConvertResult = convertIngresses(inputs.objects, { gatewayClassName: opts.gatewayClass });
  if (r.ingresses === 0) {
    io.stderr.write(`error: ${escapeText(paths.join(', '))}: no networking.k8s.io/v1 Ingress to convert\n`);
    return EXIT_ERROR;
  }
  const rest = opts.all ? inputs.objects.filter((o) => o.ref.kind !== 'Ingress' && o.ref.kind !== 'IngressClass').map((o) => o.raw) : [];
  const objects = [...rest, ...r.objects];
  if (opts.lang === 'typescript') io.stdout.write(convertedToTypeScript(r.objects, { importFrom: opts.importFrom }));
  else if (opts.output === 'json') io.stdout.write(`${JSON.stringify(objects, null, 2)}\n`);
  else io.stdout.write(objects.map((o) => stringify(o)).join('---\n'));
  for (const n of r.notTranslated) {
    const where = n.source ? `${n.source.file}:${n.source.line} ` : '';
    io.stderr.write(`not translated: ${escapeText(`${where}${n.object} ${n.field}: ${n.message}`)}\n`);
  }
  io.stderr.write(`converted ${r.ingresses} Ingress${r.ingresses === 1 ? '' : 'es'} into ${r.objects.length} objects; ${r.notTranslated.length} item${r.notTranslated.length === 1 ? '' : 's'} not translated. Check it: netkit diff --equivalent <ingress-side> <gateway-side>\n`);
  return r.notTranslated.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
