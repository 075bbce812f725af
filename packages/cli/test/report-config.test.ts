import { parseConfig } from '@tokenpak/config';
import { describe, expect, test } from 'vitest';
import { configReport, formatConfigReport, reportConfig, useColor } from '../src/index.ts';

function report(yaml: string): string {
  return formatConfigReport(parseConfig(yaml, { filename: 'c.yaml', env: {} }));
}

const PROVIDER = 'providers:\n  p: { type: mock }\n';

describe('formatConfigReport wording', () => {
  test('streaming disabled', () => {
    expect(report(`streaming: { enabled: false }\n${PROVIDER}models: { a: { provider: p } }`)).toBe(
      '✓ Config valid\nℹ Streaming disabled: a request with "stream": true gets a 400; others are answered whole\n',
    );
  });

  test('chunked only, a never-streamed model, and a simulated stream note', () => {
    const yaml = [
      'streaming: { formats: [chunked] }',
      'providers:',
      '  p: { type: mock, supports_streaming: false }',
      'models:',
      '  s: { provider: p, stream: true }',
      '  n: { provider: p, stream: false }',
    ].join('\n');
    expect(report(yaml).split('\n')).toEqual([
      '✓ Config valid',
      '✓ Streaming enabled (chunked)',
      '✓ Streaming models available: s',
      'ℹ Never streamed (stream: false): n',
      "ℹ c.yaml:5:29: models.s.stream: provider 'p' has supports_streaming: false, so 's' will be served as a simulated stream (the whole response is fetched, then streamed)",
      '',
    ]);
  });

  test('every model has stream: false', () => {
    expect(report(`${PROVIDER}models: { a: { provider: p, stream: false } }`).split('\n')[2]).toBe(
      '⚠ No streaming models: every model has stream: false',
    );
  });

  test('invalid counts errors and warnings', () => {
    const yaml = `streaming: { buffer_tokens: 99 }\n${PROVIDER}models: { a: { provider: q } }`;
    expect(report(yaml).split('\n')[0]).toBe('✖ Config invalid (1 error, 1 warning)');
  });

  test('reportConfig writes the same text, coloured only when the output allows', () => {
    const result = parseConfig(`${PROVIDER}models: { a: { provider: p } }`);
    let plain = '';
    reportConfig(result, { write: (t) => (plain += t), color: false });
    expect(plain).toBe(formatConfigReport(result));
    let coloured = '';
    reportConfig(result, { write: (t) => (coloured += t), color: true });
    expect(coloured).toContain('\u001b[32m✓\u001b[39m Config valid');
  });

  test('configReport never includes provider keys', () => {
    const result = parseConfig(
      'providers:\n  o: { type: openai, api_key: "${K}" }\nmodels: { a: { provider: o } }',
      {
        env: { K: 'sk-very-secret' },
      },
    );
    expect(JSON.stringify(configReport(result))).not.toContain('sk-very-secret');
  });
});

describe('useColor', () => {
  test.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{}, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { NO_COLOR: '' }, true],
    [{ isTTY: true }, { TERM: 'dumb' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: false }, { FORCE_COLOR: '0' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
  ])('%o with %o -> %s', (stream, env, expected) => {
    expect(useColor(stream, env)).toBe(expected);
  });
});
