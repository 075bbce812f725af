// --workers: parsing the flag, checking the value against TokenPak's config, and noticing when no worker ran.
import { describe, expect, it } from 'vitest';
import { proxyConfigYaml } from '../src/proxy-config.mjs';
import { checkWorkersConfig, parseWorkersOption, workersNote } from '../src/workers-option.mjs';

describe('parseWorkersOption', () => {
  it('takes one count, a list, or auto', () => {
    expect(parseWorkersOption(undefined)).toBeNull();
    expect(parseWorkersOption('2')).toEqual([2]);
    expect(parseWorkersOption('1, 2')).toEqual([1, 2]);
    expect(parseWorkersOption('auto')).toEqual(['auto']);
  });

  it('refuses anything else', () => {
    expect(() => parseWorkersOption('0')).toThrow(/whole numbers/);
    expect(() => parseWorkersOption('two')).toThrow(/whole numbers/);
  });
});

describe('checkWorkersConfig', () => {
  const yamlFor = (workers) => proxyConfigYaml('http://127.0.0.1:9', { workers });

  it('writes server.workers into the proxy config only when asked', () => {
    expect(yamlFor(2)).toMatch(/^server:\n(?: {2}.*\n)* {2}workers: 2\n/m);
    expect(proxyConfigYaml('http://127.0.0.1:9')).not.toMatch(/workers/);
  });

  it('passes what the config accepts and names the key the config rejects', async () => {
    const accepts = () => ({ ok: true });
    const rejects = () => ({
      ok: false,
      errors: [{ path: 'server.workers', message: "unknown key 'workers'" }],
    });
    expect(await checkWorkersConfig([1, 2], yamlFor, accepts)).toEqual({ ok: true });
    expect(await checkWorkersConfig([1, 2], yamlFor, rejects)).toEqual({
      ok: false,
      message: "server.workers: unknown key 'workers'",
    });
  });

  it("answers with TokenPak's own parser", async () => {
    // Whichever way the config goes today (the key is being added), the answer is well-formed.
    const result = await checkWorkersConfig([2], yamlFor);
    if (result.ok === false) expect(result.message).toMatch(/^server\.workers/);
    else expect(result).toEqual({ ok: true });
  });
});

describe('workersNote', () => {
  it('speaks up only when several workers were asked for and one process ran', () => {
    expect(workersNote(1, 1)).toBeNull();
    expect(workersNote(2, 3)).toBeNull();
    expect(workersNote(2, 1)).toMatch(/ran as one process/);
  });
});
