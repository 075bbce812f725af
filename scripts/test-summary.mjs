#!/usr/bin/env node
// Adds up every workspace package's vitest JSON report and prints one closing line:
// "Tests: N passed, N failed". Exits 1 when a package that has tests left no report.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const group of ['packages', 'apps', 'e2e', '.']) {
  const dirs = group === '.' ? ['bench'] : readdirSync(join(root, group)).map((name) => join(group, name));
  for (const dir of dirs) {
    const pkgDir = join(root, dir);
    if (!existsSync(join(pkgDir, 'package.json')) || !existsSync(join(pkgDir, 'test'))) continue;
    const report = join(pkgDir, 'test-results', 'vitest.json');
    if (!existsSync(report)) {
      missing.push(dir);
      continue;
    }
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed += json.numPassedTests;
    failed += json.numFailedTests;
    skipped += json.numPendingTests + (json.numTodoTests ?? 0);
    console.log(`${dir}: ${json.numPassedTests} passed, ${json.numFailedTests} failed`);
  }
}
if (missing.length) console.log(`no test report from: ${missing.join(', ')}`);
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || missing.length > 0 || passed === 0 ? 1 : 0);
