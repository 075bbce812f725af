// CPU time and resident memory of a process and everything it started, read from /proc. The same method for
// every target (the TokenPak proxy, its workers if it forks any, nginx's master and worker), so that "CPU per
// request" compares like with like. Linux only: elsewhere every figure is null.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const sysconf = new Map();

/** A `getconf` value, read once; `fallback` where getconf is missing. */
function getconf(name, fallback) {
  let value = sysconf.get(name);
  if (value === undefined) {
    try {
      value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim()) || fallback;
    } catch {
      value = fallback;
    }
    sysconf.set(name, value);
  }
  return value;
}

/** Clock ticks per second: the unit of utime and stime in /proc/<pid>/stat (100 on every common Linux). */
export function clockTicksPerSecond() {
  return getconf('CLK_TCK', 100);
}

/**
 * Parses one /proc/<pid>/stat line. The command name (field 2) is in parentheses and may itself hold spaces
 * and parentheses, so the fields are counted from the last ')'.
 * @param {string} text
 * @returns {{ pid: number, comm: string, state: string, ppid: number, utime: number, stime: number, cutime: number, cstime: number, rssPages: number } | null}
 */
export function parseProcStat(text) {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state): field n is rest[n - 3].
  const field = (n) => Number(rest[n - 3]);
  if (rest.length < 22) return null;
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: rest[0],
    ppid: field(4),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
    rssPages: field(24),
  };
}

function readStat(pid) {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null; // gone, or not Linux
  }
}

/** `rootPid` and every live descendant (children, their children…), found by scanning /proc for parents. */
export function processTree(rootPid) {
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return [rootPid];
  }
  const childrenOf = new Map();
  for (const name of entries) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const stat = readStat(name);
    if (!stat) continue;
    const list = childrenOf.get(stat.ppid);
    if (list) list.push(stat.pid);
    else childrenOf.set(stat.ppid, [stat.pid]);
  }
  const out = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift();
    out.push(pid);
    for (const child of childrenOf.get(pid) ?? []) queue.push(child);
  }
  return out;
}

/**
 * CPU time (user + system) of a process tree in ms: the root's own time, the time of its children that have
 * exited and been reaped (cutime + cstime), and the time of its live descendants. Resolution: one clock tick
 * (10 ms) per process, so a phase should burn at least a second of CPU for a figure within ~1%.
 * @returns {{ cpuMs: number | null, rssBytes: number | null, processes: number }}
 */
export function treeUsage(rootPid) {
  const pids = processTree(rootPid);
  let ticks = 0;
  let rssPages = 0;
  let seen = 0;
  for (const pid of pids) {
    const stat = readStat(pid);
    if (!stat) continue;
    seen++;
    ticks += stat.utime + stat.stime;
    if (pid === rootPid) ticks += stat.cutime + stat.cstime;
    rssPages += stat.rssPages;
  }
  if (seen === 0) return { cpuMs: null, rssBytes: null, processes: 0 };
  return {
    cpuMs: (ticks * 1000) / clockTicksPerSecond(),
    rssBytes: rssPages * getconf('PAGESIZE', 4096),
    processes: seen,
  };
}

/** CPU ms between two treeUsage() readings, or null when either is missing. */
export function cpuDeltaMs(before, after) {
  if (before?.cpuMs == null || after?.cpuMs == null) return null;
  return after.cpuMs - before.cpuMs;
}
