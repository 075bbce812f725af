#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `pnpm bench -- --cpu-prof`): where the proxy process spent its time,
// by module and by function, self time and inclusive time. Usage: node bench/profile-summary.mjs FILE [--top=N]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '20' } },
  allowPositionals: true,
});
if (positionals.length !== 1) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top=N]');
  process.exit(2);
}
console.log(summarizeProfile(JSON.parse(readFileSync(positionals[0], 'utf8')), Number(values.top)));

function summarizeProfile(profile, top = 20) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  const inclusive = new Map();
  const modules = new Map();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(profile.samples[i]);
    const name = node.callFrame.functionName;
    total += ms;
    if (name === '(idle)') {
      idle += ms;
      continue;
    }
    add(self, label(node), ms);
    add(modules, moduleOf(node.callFrame.url, name), ms);
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const key = label(byId.get(id));
      if (!seen.has(key)) {
        seen.add(key);
        add(inclusive, key, ms);
      }
    }
  }
  const busy = total - idle;
  const lines = [
    `profile: ${(total / 1000).toFixed(2)} s sampled, ${(busy / 1000).toFixed(2)} s busy (${pct(busy, total)} of the time)`,
    '',
    'self time by module (share of busy time):',
    ...ranked(modules, top, busy),
    '',
    'self time by function:',
    ...ranked(self, top, busy),
    '',
    'inclusive time by function:',
    ...ranked(inclusive, top, busy, (key) => !key.startsWith('(root)') && !key.startsWith('(program)')),
  ];
  return lines.join('\n');
}

function add(map, key, ms) {
  map.set(key, (map.get(key) ?? 0) + ms);
}

/** @param {(key: string) => boolean} [keep] */
function ranked(map, top, busy, keep = () => true) {
  return [...map]
    .filter(([key]) => keep(key))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => `  ${pct(ms, busy).padStart(6)}  ${ms.toFixed(0).padStart(7)} ms  ${key}`);
}

function pct(part, whole) {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '—';
}

function label(node) {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  return `${name}  ${shortUrl(url)}:${lineNumber + 1}`;
}

function shortUrl(url) {
  const text = url.replace(/^file:\/\//, '');
  const pnpm = text.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/(.+)$/);
  if (pnpm) return pnpm[1];
  const workspace = text.match(/\/(packages|apps|bench)\/(.+)$/);
  if (workspace) return `${workspace[1]}/${workspace[2]}`;
  return text;
}

function moduleOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(V8 / native)';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const text = url.replace(/^file:\/\//, '');
  const pnpm = text.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pnpm) return pnpm[1];
  const workspace = text.match(/\/(packages|apps)\/([^/]+)\//);
  if (workspace) return `@tokenpak/${workspace[2]}`;
  if (text.includes('/bench/')) return 'bench';
  return text;
}
