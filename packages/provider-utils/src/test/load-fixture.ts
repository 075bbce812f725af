/** Recordings as `Fixture`s: their bytes, a name for test titles, and the content type they are served with. */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Fixture {
  /** For test titles: the file name, e.g. `text.sse`. */
  name: string;
  /** The recorded response body. */
  body: string | Uint8Array;
  /** The `content-type` the fake upstream answers with. */
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.sse': 'text/event-stream; charset=utf-8',
  '.ndjson': 'application/x-ndjson',
  '.jsonl': 'application/x-ndjson',
  '.json': 'application/json',
};

/** The content type for a recording's file name: `.sse`, `.ndjson` / `.jsonl`, `.json`; else octet-stream. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

const toPath = (file: string | URL) => (file instanceof URL ? fileURLToPath(file) : file);

/** Reads one recording (its bytes, unchanged). The content type defaults to the one for its extension. */
export function loadFixture(file: string | URL, contentType?: string): Fixture {
  const path = toPath(file);
  return { name: basename(path), body: readFileSync(path), contentType: contentType ?? contentTypeOf(path) };
}

/**
 * Every recording in a folder whose name ends with `extension` (e.g. `.sse`), sorted by name. With a URL,
 * end the folder with `/`: `new URL('./fixtures/gemini/', import.meta.url)`.
 */
export function loadFixtures(folder: string | URL, extension: string, contentType?: string): Fixture[] {
  const path = toPath(folder);
  return readdirSync(path)
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => loadFixture(`${path.replace(/[\\/]$/, '')}/${name}`, contentType));
}
