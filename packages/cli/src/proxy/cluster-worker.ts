/**
 * One worker of `tokenpak proxy --workers N` (started by cluster-primary.ts through `dist/worker.js`): serves the
 * config the primary sends on the shared port, with stream slots shared through the primary, its own stream
 * logs and Responses state (ids name this worker; other workers forward requests for them to its private
 * loopback listener), and /metrics answered for every worker. The primary decides when it stops.
 */
import {
  createGateway,
  createSharedLimiter,
  type Gateway,
  isSlotReply,
  type MetricFamily,
  type SlotRequest,
  type WorkerRole,
} from '@tokenpak/server';
import { PortInUseError, type Server, serve } from '@tokenpak/server/node';
import {
  type PrimaryMessage,
  type StartMessage,
  tokenpakMessage,
  type WorkerMessage,
} from './cluster-messages.ts';

/** How long a scrape waits for the primary before /metrics answers with this worker's samples alone. */
const SCRAPE_TIMEOUT_MS = 3000;

const send = (message: WorkerMessage | SlotRequest): void => {
  if (process.connected) process.send?.(message);
};

export async function runClusterWorker(): Promise<void> {
  let start: (message: StartMessage) => void = () => {};
  const started = new Promise<StartMessage>((resolve) => {
    start = resolve;
  });
  let ports: Array<number | null> = [];
  let gateway: Gateway | undefined;
  let stop: (graceMs?: number) => void = () => process.exit(0);
  const limiterReady: Array<(message: unknown) => void> = [];
  const scrapes = new Map<number, (families: MetricFamily[]) => void>();
  let nextScrape = 1;

  // Listening before the start message: nothing the primary sends is missed.
  process.on('message', (raw: unknown) => {
    if (isSlotReply(raw)) {
      for (const receive of limiterReady) receive(raw);
      return;
    }
    const message = raw as PrimaryMessage;
    switch (tokenpakMessage(raw)) {
      case 'start':
        start(message as StartMessage);
        return;
      case 'peers':
        ports = (message as { ports: Array<number | null> }).ports;
        return;
      case 'metrics.collect':
        send({
          tokenpak: 'metrics.samples',
          round: (message as { round: number }).round,
          families: gateway?.metrics.registry.collect() ?? [],
        });
        return;
      case 'metrics.scraped': {
        const { id, families } = message as { id: number; families: MetricFamily[] };
        scrapes.get(id)?.(families);
        scrapes.delete(id);
        return;
      }
      case 'shutdown':
        stop((message as { graceMs?: number }).graceMs);
        return;
    }
  });
  send({ tokenpak: 'ready' });
  // The primary is gone (it crashed, or was killed): finish what is open, then go too.
  process.on('disconnect', () => stop());
  // Ctrl-C reaches the whole process group: the primary tells each worker when to stop. A second one is final.
  let interrupts = 0;
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(130);
  });
  // SIGTERM to this worker alone recycles it: it drains and exits, and the primary starts another.
  process.on('SIGTERM', () => stop());

  const { index, config, baseDir, host, port, lease } = await started;
  const limiter = createSharedLimiter({ max: config.streaming.max_concurrent_streams, lease, send });
  limiterReady.push((message) => limiter.receive(message as Parameters<typeof limiter.receive>[0]));
  const role: WorkerRole = {
    index,
    peerPort: (peer) => ports[peer] ?? undefined,
    scrape: () =>
      new Promise((resolve, reject) => {
        const id = nextScrape++;
        const timer = setTimeout(() => {
          scrapes.delete(id);
          reject(new Error('the primary did not answer the scrape'));
        }, SCRAPE_TIMEOUT_MS);
        scrapes.set(id, (families) => {
          clearTimeout(timer);
          resolve(families);
        });
        send({ tokenpak: 'metrics.scrape', id });
      }),
  };
  const headers = { 'x-tokenpak-worker': String(index) };
  let servers: Server[];
  try {
    gateway = await createGateway(config, { baseDir, limiter, worker: role });
    const shared = await serve(gateway, { host, port, headers });
    const own = await serve(gateway, { host: '127.0.0.1', port: 0, exclusive: true, headers });
    servers = [shared, own];
  } catch (error) {
    await gateway?.close(0);
    const failed: WorkerMessage = {
      tokenpak: 'failed',
      message: error instanceof Error ? error.message : String(error),
      portInUse: error instanceof PortInUseError,
    };
    // Exit once the message is out: an exit right after send() can lose it.
    if (process.connected) process.send?.(failed, () => process.exit(1));
    else process.exit(1);
    return;
  }
  let stopping = false;
  stop = (graceMs) => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await Promise.all(servers.map((server) => server.close(graceMs)));
      await gateway?.close(0);
      process.exit(0);
    })();
  };
  send({ tokenpak: 'listening', url: servers[0]!.url, privatePort: servers[1]!.port });
}
