// The ways the scenarios put load on a target: one request at a time, an open loop at a fixed offered rate,
// a closed loop at a fixed concurrency, a burst of requests started together, and a ramp that opens many
// long streams batch by batch.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { summarize } from '../stats.mjs';

/** `count` requests, each sent when the previous one has finished. */
export async function sequential(count, send) {
  const results = [];
  for (let i = 0; i < count; i++) results.push(await send());
  return results;
}

/**
 * Open loop: request i is sent at start + i / rate, whether or not earlier ones have returned, so a slow
 * target shows up as latency (and queueing) instead of as a lower request rate. TTFT is measured from the
 * actual send; `lagMs` says how late the client itself was against the schedule (a saturated client shows
 * up there, not in the target's figures). Gives up early when more than `maxInFlight` are outstanding.
 *
 * @param {{ rate: number, durationMs: number, maxInFlight?: number }} plan
 * @param {() => Promise<import('./send-request.mjs').RequestResult>} send
 */
export async function openLoop({ rate, durationMs, maxInFlight = 4000 }, send) {
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const interval = 1000 / rate;
  const results = [];
  const lags = [];
  const inFlight = new Set();
  let sent = 0;
  let overloaded = false;
  const start = performance.now();
  while (sent < total) {
    const now = performance.now();
    while (sent < total && start + sent * interval <= now) {
      if (inFlight.size >= maxInFlight) {
        overloaded = true;
        break;
      }
      lags.push(now - (start + sent * interval));
      const promise = send().then((result) => {
        inFlight.delete(promise);
        results.push(result);
      });
      inFlight.add(promise);
      sent++;
    }
    if (overloaded) break;
    if (sent < total) {
      const wait = start + sent * interval - performance.now();
      await sleep(wait > 1 ? Math.floor(wait) : 0);
    }
  }
  const sendSeconds = (performance.now() - start) / 1000;
  await Promise.all(inFlight);
  return {
    offeredRate: rate,
    sent,
    planned: total,
    achievedRate: sent / Math.max(sendSeconds, interval / 1000),
    overloaded,
    lagMs: summarize(lags),
    results,
  };
}

/** Closed loop: `concurrency` workers, each sending its next request when its last one returns. */
export async function closedLoop({ concurrency, durationMs }, send) {
  const results = [];
  const start = performance.now();
  const deadline = start + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) results.push(await send());
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  return { seconds, results };
}

/**
 * `count` requests started together, opened in batches (`batch` every `batchGapMs`) so the listen backlog is
 * not flooded with SYNs. Resolves when all have finished.
 */
export async function burst({ count, batch = count, batchGapMs = 0 }, send) {
  const promises = [];
  for (let i = 0; i < count; i += batch) {
    const upTo = Math.min(count, i + batch);
    for (let j = i; j < upTo; j++) promises.push(send(j));
    if (upTo < count && batchGapMs > 0) await sleep(batchGapMs);
  }
  return Promise.all(promises);
}

/**
 * Opens `count` long-lived requests with at most `window` of them waiting for their first content at any
 * time: a new one starts as soon as an earlier one has its first token (or has ended, or has waited
 * `maxWaitMs`). A target is never handed more new connections than it has shown it can take, so its listen
 * backlog (511 for Node by default) does not overflow; an overflow shows up as SYN retries and resets, seconds
 * of TTFT that measure the kernel rather than the proxy.
 *
 * @param {{ count: number, window: number, maxWaitMs: number }} plan
 * @param {(index: number, onFirstContent: () => void) => Promise<any>} send
 * @returns {{ opened: Promise<void>, done: Promise<any[]> }} `opened`: every request has been sent
 */
export function ramp({ count, window, maxWaitMs }, send) {
  const all = [];
  let next = 0;
  let waiting = 0;
  /** @type {(value?: unknown) => void} */
  let resolveOpened = () => {};
  const opened = new Promise((resolve) => {
    resolveOpened = resolve;
  });
  const fill = () => {
    while (waiting < window && next < count) {
      const index = next++;
      waiting++;
      let settled = false;
      const release = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        waiting--;
        fill();
      };
      const timer = setTimeout(release, maxWaitMs);
      all.push(send(index, release).finally(release));
    }
    if (next >= count) resolveOpened();
  };
  fill();
  return { opened, done: opened.then(() => Promise.all(all)) };
}
