/**
 * The primary of `tokenpak proxy --workers N`: it serves no HTTP itself. It starts N workers (node:cluster, one
 * shared port), and holds what must be one for all of them:
 * - the count of open streams (`streaming.max_concurrent_streams`), lent to workers as slots (createSlotBroker);
 * - the scrape: a worker asked for /metrics asks the primary, which collects every worker's samples and merges;
 * - the address book: every worker's private loopback port, so that a request for a stream log or a stored
 *   response another worker holds can be sent there.
 * A worker that exits unasked is started again under the same index (with backoff); the others' streams go
 * on. stop() asks every worker to drain and waits for them all.
 */
import cluster, { type Worker } from 'node:cluster';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TokenPakConfig } from '@tokenpak/config';
import {
  createSlotBroker,
  isSlotRequest,
  type MetricFamily,
  mergeFamilies,
  type SlotReply,
} from '@tokenpak/server';
import { type PrimaryMessage, tokenpakMessage, type WorkerMessage } from './cluster-messages.ts';
import { leaseSize } from './resolve-workers.ts';
import { createRestartBackoff } from './restart-backoff.ts';

/** How long a scrape waits for the workers' samples; a worker that has not answered by then is left out. */
const COLLECT_TIMEOUT_MS = 1000;
/** Past the grace period, how long the primary waits for workers to exit before it kills them. */
const EXIT_MARGIN_MS = 5000;

export interface ClusterOptions {
  config: TokenPakConfig;
  baseDir: string;
  workers: number;
  host: string;
  port: number;
  /** One line of the primary's own log (restarts). */
  log(line: string): void;
}

export interface RunningCluster {
  url: string;
  /** Worker pids, by index (as started; restarts log their new pid). */
  pids: number[];
  /** Every worker drains (within `graceMs`, default `server.shutdown_grace_ms`) and exits; then this resolves. */
  stop(graceMs?: number): Promise<void>;
}

export class ClusterStartError extends Error {
  override readonly name = 'ClusterStartError';
  constructor(
    message: string,
    readonly portInUse: boolean,
  ) {
    super(message);
  }
}

interface Member {
  index: number;
  worker: Worker | undefined;
  startedAt: number;
  privatePort: number | undefined;
  restartTimer: ReturnType<typeof setTimeout> | undefined;
}

/** `dist/worker.js`, beside the bundle this module is part of. */
function workerEntry(): string {
  const path = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (!existsSync(path)) throw new Error(`the worker entry ${path} is missing: build @tokenpak/cli (tsdown)`);
  return path;
}

export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const { config, workers, log } = options;
  const max = config.streaming.max_concurrent_streams;
  const lease = leaseSize(max, workers);
  const byId = new Map<number, Member>();
  const members: Member[] = Array.from({ length: workers }, (_, index) => ({
    index,
    worker: undefined,
    startedAt: 0,
    privatePort: undefined,
    restartTimer: undefined,
  }));
  const broker = createSlotBroker({
    max,
    lease,
    workers,
    send: (id, message) => post(byId.get(id)?.worker, message),
  });
  const backoff = createRestartBackoff();
  let restarts = 0;
  let stopping = false;
  let started = false;
  const waiters = new Map<number, { resolve: (url: string) => void; reject: (error: Error) => void }>();
  const collecting = new Map<
    number,
    {
      sets: MetricFamily[][];
      awaiting: Set<number>;
      finish: () => void;
      timer: ReturnType<typeof setTimeout>;
    }
  >();
  let rounds = 0;

  cluster.setupPrimary({ exec: workerEntry(), args: [], serialization: 'advanced' });

  const broadcastPeers = (): void => {
    const ports = members.map((member) => member.privatePort ?? null);
    for (const member of members) post(member.worker, { tokenpak: 'peers', ports });
  };

  const primaryFamilies = (): MetricFamily[] => [
    {
      type: 'gauge',
      name: 'tokenpak_workers',
      help: 'Worker processes serving (tokenpak proxy --workers N).',
      labelNames: [],
      series: [{ labels: [], value: members.filter((m) => m.privatePort !== undefined).length }],
    },
    {
      type: 'counter',
      name: 'tokenpak_worker_restarts_total',
      help: 'Workers started again after they exited unasked.',
      labelNames: [],
      series: [{ labels: [], value: restarts }],
    },
  ];

  /** A scrape: every live worker's samples (those that answer in time) and the primary's, merged. */
  const scrape = (from: Worker, id: number): void => {
    const round = ++rounds;
    const awaiting = new Set<number>();
    for (const member of members) {
      if (member.worker && member.privatePort !== undefined) awaiting.add(member.worker.id);
    }
    const sets: MetricFamily[][] = [];
    const finish = (): void => {
      if (!collecting.delete(round)) return;
      clearTimeout(entry.timer);
      post(from, { tokenpak: 'metrics.scraped', id, families: mergeFamilies([...sets, primaryFamilies()]) });
    };
    const entry = { sets, awaiting, finish, timer: setTimeout(finish, COLLECT_TIMEOUT_MS) };
    collecting.set(round, entry);
    for (const workerId of awaiting) post(byId.get(workerId)?.worker, { tokenpak: 'metrics.collect', round });
    if (awaiting.size === 0) finish();
  };

  const onMessage = (member: Member, worker: Worker, raw: unknown): void => {
    if (isSlotRequest(raw)) {
      broker.receive(worker.id, raw);
      return;
    }
    const message = raw as WorkerMessage;
    switch (tokenpakMessage(raw)) {
      case 'ready':
        post(worker, {
          tokenpak: 'start',
          index: member.index,
          config,
          baseDir: options.baseDir,
          host: options.host,
          port: options.port,
          lease,
        });
        return;
      case 'listening': {
        const { url, privatePort } = message as { url: string; privatePort: number };
        member.privatePort = privatePort;
        broadcastPeers();
        if (started) log(`worker ${member.index} is back (pid ${worker.process.pid})`);
        waiters.get(worker.id)?.resolve(url);
        return;
      }
      case 'failed': {
        const { message: text, portInUse } = message as { message: string; portInUse: boolean };
        waiters.get(worker.id)?.reject(new ClusterStartError(text, portInUse));
        if (started) log(`worker ${member.index} could not start: ${text}`);
        return;
      }
      case 'metrics.scrape':
        scrape(worker, (message as { id: number }).id);
        return;
      case 'metrics.samples': {
        const { round, families } = message as { round: number; families: MetricFamily[] };
        const entry = collecting.get(round);
        if (!entry) return;
        entry.sets.push(families);
        entry.awaiting.delete(worker.id);
        if (entry.awaiting.size === 0) entry.finish();
        return;
      }
    }
  };

  const fork = (member: Member): Promise<string> => {
    const worker = cluster.fork();
    member.worker = worker;
    member.startedAt = Date.now();
    member.privatePort = undefined;
    byId.set(worker.id, member);
    // A send to a worker that is going away fails; its exit is handled below.
    worker.on('error', () => {});
    worker.on('message', (raw: unknown) => onMessage(member, worker, raw));
    const listening = new Promise<string>((resolve, reject) => {
      waiters.set(worker.id, { resolve, reject });
    });
    worker.once('exit', (code, signal) => {
      waiters
        .get(worker.id)
        ?.reject(
          new ClusterStartError(
            `worker ${member.index} exited (${signal ?? `code ${code}`}) before listening`,
            false,
          ),
        );
      waiters.delete(worker.id);
      byId.delete(worker.id);
      broker.removeWorker(worker.id);
      for (const entry of collecting.values()) {
        entry.awaiting.delete(worker.id);
        if (entry.awaiting.size === 0) entry.finish();
      }
      if (member.worker !== worker) return;
      member.worker = undefined;
      member.privatePort = undefined;
      broadcastPeers();
      if (stopping || !started) return;
      restarts++;
      const delay = backoff.next(member.index, Date.now() - member.startedAt);
      log(
        `worker ${member.index} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}): ` +
          `starting it again in ${delay} ms`,
      );
      member.restartTimer = setTimeout(() => {
        member.restartTimer = undefined;
        if (!stopping) fork(member).catch(() => {});
      }, delay);
    });
    listening.then(
      () => waiters.delete(worker.id),
      () => waiters.delete(worker.id),
    );
    return listening;
  };

  const stop = async (graceMs?: number): Promise<void> => {
    stopping = true;
    const exits: Promise<unknown>[] = [];
    for (const member of members) {
      clearTimeout(member.restartTimer);
      const { worker } = member;
      if (!worker || worker.isDead()) continue;
      exits.push(new Promise((resolve) => worker.once('exit', resolve)));
      post(worker, { tokenpak: 'shutdown', ...(graceMs !== undefined && { graceMs }) });
    }
    const deadline = setTimeout(
      () => {
        for (const member of members) member.worker?.process.kill('SIGKILL');
      },
      (graceMs ?? config.server.shutdown_grace_ms) + EXIT_MARGIN_MS,
    );
    await Promise.all(exits);
    clearTimeout(deadline);
  };

  let urls: string[];
  try {
    urls = await Promise.all(members.map((member) => fork(member)));
  } catch (error) {
    await stop(0);
    throw error;
  }
  started = true;
  return {
    url: urls[0]!,
    pids: members.map((member) => member.worker?.process.pid ?? 0),
    stop,
  };
}

function post(worker: Worker | undefined, message: PrimaryMessage | SlotReply): void {
  if (!worker?.isConnected()) return;
  try {
    worker.send(message);
  } catch {
    // The channel closed under us: the worker is exiting.
  }
}
