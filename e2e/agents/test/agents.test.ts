/**
 * The agent clients people actually run, through TokenPak on loopback, each in a conversation with a
 * tool-call round trip: the (fake) upstream calls the client's own shell tool, the client runs
 * `echo tp-e2e-$((6*7))` in a temporary folder and sends the result back, and the upstream answers text
 * quoting what the command printed. Claude Code and Codex CLI × an Anthropic Messages, an OpenAI Chat
 * Completions and an OpenAI Responses upstream: six conversations.
 *
 * Claude Code speaks Anthropic Messages to TokenPak (`POST /v1/messages?beta=true`), Codex CLI the
 * Responses API (`POST /v1/responses`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  claudeVersion,
  codexVersion,
  type RunResult,
  removeTempDirs,
  runClaude,
  runCodex,
} from './helpers/clients.ts';
import {
  type FakeUpstream,
  FINAL_TEXT,
  PROMPT_MARKER,
  type RecordedRequest,
  startFakeUpstream,
  TOOL_OUTPUT,
  type Wire,
} from './helpers/fake-upstream.ts';
import { ALIASES, agentConfig, startTokenPak, type TokenPak } from './helpers/tokenpak.ts';

const PROMPT = `${PROMPT_MARKER}: run the shell command the model asks for, then report what it printed.`;

let fake: FakeUpstream;
let tokenpak: TokenPak;
/** Why the Responses upstream (`providers.<name>.api: responses`) cannot be configured, if it cannot. */
/** Why TokenPak cannot take Codex's `POST /v1/responses`, if it cannot. */
const timings: string[] = [];

beforeAll(async () => {
  fake = await startFakeUpstream();
  tokenpak = await startTokenPak(agentConfig(fake.url, { responsesUpstream: true }));
  fake.requests.length = 0;
});

afterAll(async () => {
  await tokenpak?.close();
  await fake?.close();
  removeTempDirs();
  // TP_E2E_DUMP=1: every request the upstream saw, bodies and headers, for a look at what the clients send.
  if (process.env.TP_E2E_DUMP && fake) {
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/upstream-requests.json', JSON.stringify(fake.requests, null, 2));
  }
  if (timings.length) console.log(`agent conversations:\n  ${timings.join('\n  ')}`);
});

const UPSTREAMS: { wire: Wire; alias: string; label: string }[] = [
  { wire: 'anthropic', alias: ALIASES.anthropic, label: 'Anthropic Messages upstream' },
  { wire: 'chat', alias: ALIASES.chat, label: 'OpenAI Chat Completions upstream' },
  { wire: 'responses', alias: ALIASES.responses, label: 'OpenAI Responses upstream' },
];

/** Runs one conversation and returns the upstream requests it caused. */
async function conversation<R extends RunResult>(
  name: string,
  start: () => Promise<R>,
): Promise<{ result: R; requests: RecordedRequest[] }> {
  const from = fake.requests.length;
  const result = await start();
  timings.push(`${name}: ${result.ms} ms`);
  return { result, requests: fake.requests.slice(from) };
}

function describeRun(result: RunResult, requests: RecordedRequest[]): string {
  const seen = requests.map(
    (r) => `${r.method} ${r.url} ${r.wire ?? ''}/${r.turn ?? ''}${r.tool ? ` ${r.tool}` : ''}`,
  );
  return [
    `exit ${result.code}${result.signal ? ` (${result.signal})` : ''} after ${result.ms} ms`,
    `upstream requests:\n  ${seen.join('\n  ') || '(none)'}`,
    `tokenpak log (last 5):\n  ${tokenpak.logs
      .slice(-5)
      .map((line) => JSON.stringify(line))
      .join('\n  ')}`,
    `stdout:\n${result.stdout.slice(-3000)}`,
    `stderr:\n${result.stderr.slice(-3000)}`,
  ].join('\n');
}

/** The round trip, as the upstream saw it: a tool-call turn, then a turn carrying the tool's output. */
function expectRoundTrip(wire: Wire, requests: RecordedRequest[], tool: string[], context: string): void {
  const toolTurns = requests.filter((r) => r.turn === 'tool-call');
  const finalTurns = requests.filter((r) => r.turn === 'final');
  expect(toolTurns.length, `one tool-call turn\n${context}`).toBe(1);
  expect(toolTurns[0]!.wire, context).toBe(wire);
  expect(tool, context).toContain(toolTurns[0]!.tool);
  expect(finalTurns.length, `one final turn\n${context}`).toBe(1);
  expect(finalTurns[0]!.wire, context).toBe(wire);
  expect(finalTurns[0]!.toolResult, `the tool result reached the upstream\n${context}`).toContain(
    TOOL_OUTPUT,
  );
}

describe(`Claude Code ${claudeVersion()} (claude -p)`, () => {
  for (const upstream of UPSTREAMS) {
    test(`tool round trip through TokenPak to an ${upstream.label}`, async () => {
      const { result, requests } = await conversation(`Claude Code → ${upstream.wire}`, () =>
        runClaude({ baseUrl: tokenpak.url, model: upstream.alias, prompt: PROMPT }),
      );
      const context = describeRun(result, requests);
      expect(result.code, context).toBe(0);
      expect(result.json?.is_error, context).toBe(false);
      expectRoundTrip(upstream.wire, requests, ['Bash'], context);
      expect(result.json?.result, context).toContain(FINAL_TEXT);
      expect(result.json?.result, context).toContain(TOOL_OUTPUT);
    });
  }
});

describe(`Codex CLI ${codexVersion()} (codex exec)`, () => {
  for (const upstream of UPSTREAMS) {
    test(`tool round trip through TokenPak to an ${upstream.label}`, async () => {
      const { result, requests } = await conversation(`Codex CLI → ${upstream.wire}`, () =>
        runCodex({ baseUrl: tokenpak.url, model: upstream.alias, prompt: PROMPT }),
      );
      const context = describeRun(result, requests);
      expect(result.code, context).toBe(0);
      expectRoundTrip(upstream.wire, requests, ['exec_command', 'shell_command', 'shell'], context);
      expect(result.lastMessage, context).toContain(FINAL_TEXT);
      expect(result.lastMessage, context).toContain(TOOL_OUTPUT);
    });
  }
});
