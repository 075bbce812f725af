/**
 * Runs the same test in-process (`app.fetch(new Request(...))`) and over a real socket (`serve()` on
 * 127.0.0.1:0): h3's test-matrix habit.
 */
import type { TokenPakConfig } from '@tokenpak/config';
import { createGateway, type Gateway } from '../../src/gateway.ts';
import type { RequestLogLine } from '../../src/log/request-log.ts';
import { type Server, serve } from '../../src/node.ts';

export type Mode = 'in-process' | 'socket';
export const MODES: Mode[] = ['in-process', 'socket'];

export interface Target {
  mode: Mode;
  gateway: Gateway;
  /** Base URL: the socket's, or a placeholder origin for in-process requests. */
  url: string;
  fetch: typeof fetch;
  logs: RequestLogLine[];
  close(): Promise<void>;
}

const IN_PROCESS_ORIGIN = 'http://tokenpak.test';

export async function startTarget(mode: Mode, config: TokenPakConfig): Promise<Target> {
  const logs: RequestLogLine[] = [];
  const gateway = await createGateway(config, { logger: (line) => logs.push(line) });
  if (mode === 'in-process') {
    const fetchInProcess = ((input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(String(input), init);
      return gateway.app.fetch(request);
    }) as typeof fetch;
    return {
      mode,
      gateway,
      url: IN_PROCESS_ORIGIN,
      fetch: fetchInProcess,
      logs,
      close: () => gateway.close(0),
    };
  }
  const server: Server = await serve(gateway, { host: '127.0.0.1', port: 0 });
  return {
    mode,
    gateway,
    url: server.url,
    fetch: globalThis.fetch,
    logs,
    async close() {
      await server.close(0);
      await gateway.close(0);
    },
  };
}

/** POSTs a JSON body (a string is sent as is). */
export function post(
  target: Target,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return target.fetch(target.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
