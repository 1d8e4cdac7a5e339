/**
 * Opening a connection for the CLI: loads `kube.ts` (and with it `@kubernetes/client-node`)
 * only when a command really talks to a cluster, checks the server answers, and turns every
 * way that can fail into one line for a human.
 */
import type { Connection, ConnectOptions } from './kube';
import { KubeApiError, KubeConnectionError } from './types';

/** Makes a connection from kubeconfig options (injected by tests to use a fake server). */
export type Connector = (options: ConnectOptions) => Promise<Connection>;

/** The real connector: loads the client library on first use. */
export const defaultConnector: Connector = async (options) => (await import('./kube')).connect(options);

/** A connected, answering server, or why not (one line). */
export type Session =
  | { readonly ok: true; readonly connection: Connection; readonly serverVersion: string }
  | { readonly ok: false; readonly problem: string };

/** Connect and call `GET /version`; never throws for the kubeconfig's or the server's sake. */
export async function openSession(connector: Connector, options: ConnectOptions): Promise<Session> {
  let connection: Connection;
  try {
    connection = await connector(options);
  } catch (e) {
    return { ok: false, problem: (e as Error).message ?? String(e) };
  }
  const { client, redactor } = connection;
  try {
    const serverVersion = await client.version();
    return { ok: true, connection, serverVersion };
  } catch (e) {
    const where = `${client.target.server} (context ${client.target.context})`;
    if (e instanceof KubeApiError) {
      const hint = e.status === 401 ? ' (fix: the kubeconfig credentials are not accepted; refresh them)' : e.status === 403 ? ' (fix: the user may not call the API; check its RBAC)' : '';
      return { ok: false, problem: redactor.redact(`${where} answered ${e.describe()}${hint}`) };
    }
    if (e instanceof KubeConnectionError) return { ok: false, problem: redactor.redact(`${e.message} (fix: is the cluster running? check --kubeconfig and --context)`) };
    return { ok: false, problem: redactor.redact(`cannot talk to ${where}: ${(e as Error).message ?? String(e)}`) };
  }
}

/** Where a command writes: results and logs. */
export interface Streams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** An answering server with the command's streams masked by its kubeconfig's redactor. */
export interface CommandSession {
  readonly connection: Connection;
  readonly serverVersion: string;
  /** `stdout` and `stderr`, with credentials masked. */
  readonly out: { write(text: string): unknown };
  readonly err: { write(text: string): unknown };
}

/** {@link openSession} for a command: on failure, writes `error: <problem>` to stderr and returns undefined. */
export async function openCommandSession(connector: Connector, options: ConnectOptions, io: Streams): Promise<CommandSession | undefined> {
  const session = await openSession(connector, options);
  if (!session.ok) {
    io.stderr.write(`error: ${session.problem}\n`);
    return undefined;
  }
  const { redactor } = session.connection;
  return { connection: session.connection, serverVersion: session.serverVersion, out: redactor.wrap(io.stdout), err: redactor.wrap(io.stderr) };
}
