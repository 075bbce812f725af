// Writes the report as JSON: bench/results/bench-<date>.json and bench/results/latest.json.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { rounded } from '../stats.mjs';

/** @returns {Promise<string>} the path of the dated file */
export async function writeJsonReport(report, directory) {
  await mkdir(directory, { recursive: true });
  const stamp = report.meta.date.replace(/[:.]/g, '-');
  const file = path.join(directory, `bench-${stamp}.json`);
  const text = `${JSON.stringify(rounded(report, 4), null, 2)}\n`;
  await writeFile(file, text);
  await writeFile(path.join(directory, 'latest.json'), text);
  return file;
}
