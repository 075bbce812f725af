// The pure parts of the bench's measurements: /proc/<pid>/stat (CPU time), /proc/<pid>/limits (open files),
// /proc/net/netstat (listen-queue overflows), and the open-files budget of the open-streams scenario.
import { describe, expect, it } from 'vitest';
import { parseOpenFilesLimit } from '../src/children/fd-limits.mjs';
import { cpuDeltaMs, parseProcStat, processTree, treeUsage } from '../src/children/process-cpu.mjs';
import { overflowsBetween, parseListenOverflows } from '../src/listen-overflows.mjs';
import { fdBudget } from '../src/scenarios/open-streams.mjs';

const linux = process.platform === 'linux';

describe('parseProcStat', () => {
  it('reads ppid, utime, stime, cutime, cstime and rss by position after the command name', () => {
    const line =
      '4242 (node) S 4200 4242 16882 0 -1 4194304 126 0 0 0 1500 250 7 3 20 0 11 0 2323706 3133440 9876 18446744073709551615';
    expect(parseProcStat(line)).toMatchObject({
      pid: 4242,
      comm: 'node',
      state: 'S',
      ppid: 4200,
      utime: 1500,
      stime: 250,
      cutime: 7,
      cstime: 3,
      rssPages: 9876,
    });
  });

  it('copes with spaces and parentheses in the command name', () => {
    const line = '77 (nginx: worker (1) x) R 76 76 1 0 -1 0 0 0 0 0 40 2 0 0 20 0 1 0 5 6 321 0';
    expect(parseProcStat(line)).toMatchObject({ pid: 77, comm: 'nginx: worker (1) x', ppid: 76, utime: 40 });
  });

  it('returns null for a truncated line', () => {
    expect(parseProcStat('12 (x) S 1 2 3')).toBeNull();
    expect(parseProcStat('nonsense')).toBeNull();
  });
});

describe.runIf(linux)('treeUsage on this process', () => {
  it('finds this process and counts the CPU it burns', () => {
    expect(processTree(process.pid)[0]).toBe(process.pid);
    const before = treeUsage(process.pid);
    const until = Date.now() + 60;
    while (Date.now() < until) Math.sqrt(Math.random());
    const after = treeUsage(process.pid);
    expect(after.rssBytes).toBeGreaterThan(0);
    expect(cpuDeltaMs(before, after)).toBeGreaterThanOrEqual(0);
    expect(cpuDeltaMs(before, { cpuMs: null })).toBeNull();
  });
});

describe('parseOpenFilesLimit', () => {
  it('reads the soft and hard limits of "Max open files"', () => {
    const text = [
      'Limit                     Soft Limit           Hard Limit           Units     ',
      'Max processes             unlimited            unlimited            processes ',
      'Max open files            1024                 20000                files     ',
    ].join('\n');
    expect(parseOpenFilesLimit(text)).toEqual({ soft: 1024, hard: 20000 });
    expect(parseOpenFilesLimit(text.replace('20000', 'unlimited'))).toEqual({
      soft: 1024,
      hard: Number.POSITIVE_INFINITY,
    });
    expect(parseOpenFilesLimit('Max processes 1 1')).toBeNull();
  });
});

describe('fdBudget', () => {
  it('runs every stream when 2 per stream fit under the hard limit', () => {
    expect(fdBudget(5000, { soft: 20000, hard: 20000 })).toMatchObject({ count: 5000, note: null });
  });

  it('runs fewer, and says why, when they do not', () => {
    const budget = fdBudget(10_000, { soft: 20000, hard: 20000 });
    expect(budget.count).toBeLessThan(10_000);
    expect(budget.count * 2).toBeLessThanOrEqual(20000);
    expect(budget.note).toMatch(/hard open-files limit 20000/);
  });
});

describe('parseListenOverflows', () => {
  const netstat = (overflows, drops) =>
    [
      'TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPHPHits',
      `TcpExt: 0 ${overflows} ${drops} 99`,
      'IpExt: InNoRoutes',
      'IpExt: 0',
    ].join('\n');

  it('reads ListenOverflows and ListenDrops from the TcpExt pair of lines', () => {
    expect(parseListenOverflows(netstat(536, 540))).toEqual({ overflows: 536, drops: 540 });
    expect(parseListenOverflows('IpExt: A\nIpExt: 1')).toBeNull();
  });

  it('counts the connects dropped between two readings', () => {
    const before = parseListenOverflows(netstat(10, 10));
    const after = parseListenOverflows(netstat(25, 27));
    expect(overflowsBetween(before, after)).toBe(17);
    expect(overflowsBetween(null, after)).toBeNull();
  });
});
