// The child side of the IPC protocol that bench/src/children/spawn-child.mjs speaks: report readiness, answer
// resource questions (RSS, heap, CPU time) and close on request or when the parent goes away.

/**
 * @param {{ url: string, close: () => Promise<void>, extra?: () => object }} handle
 */
export function serveControl({ url, close, extra }) {
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    try {
      await close();
    } finally {
      process.exit(0);
    }
  };
  process.on('message', (/** @type {any} */ message) => {
    if (message?.type === 'stats') {
      if (message.gc && typeof globalThis.gc === 'function') globalThis.gc();
      const memory = process.memoryUsage();
      const cpu = process.cpuUsage();
      process.send?.({
        id: message.id,
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
        cpuUserUs: cpu.user,
        cpuSystemUs: cpu.system,
        ...(extra ? extra() : {}),
      });
    } else if (message?.type === 'close') {
      void shutdown();
    }
  });
  // The parent died or closed the channel: do not outlive it.
  process.on('disconnect', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  process.send?.({ type: 'ready', url, pid: process.pid });
}

export function reportFailure(error) {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.send?.({ type: 'failed', message });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 50).unref();
}
