// The open-files limit (RLIMIT_NOFILE), which caps how many streams a process can hold open: a stream is one
// socket in the client and in the upstream, two in a proxy. Node raises its own soft limit to the hard one
// when it starts (PlatformInit in node.cc), and the bench asks nginx for the hard one (worker_rlimit_nofile),
// so the hard limit is what counts. Raising that needs privilege (CAP_SYS_RESOURCE): the bench never tries.
import { readFileSync } from 'node:fs';

/**
 * Parses the "Max open files" line of /proc/<pid>/limits.
 * @param {string} text the whole file
 * @returns {{ soft: number, hard: number } | null} Infinity for "unlimited"
 */
export function parseOpenFilesLimit(text) {
  const line = text.split('\n').find((entry) => entry.startsWith('Max open files'));
  if (!line) return null;
  const [, soft, hard] = line.split(/\s{2,}/);
  const value = (word) => (word === 'unlimited' ? Number.POSITIVE_INFINITY : Number(word));
  const limits = { soft: value(soft), hard: value(hard) };
  return Number.isNaN(limits.soft) || Number.isNaN(limits.hard) ? null : limits;
}

/** This process's limit, or null where /proc is missing (not Linux). */
export function openFilesLimit() {
  try {
    return parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return null;
  }
}
