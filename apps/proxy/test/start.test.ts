import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { InvalidConfigError, type RunningApp, startProxyApp } from '../src/index.ts';

const apps: RunningApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop(0);
});

function dirWith(yaml?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokenpak-app-'));
  if (yaml !== undefined) writeFileSync(join(dir, 'config.yaml'), yaml);
  return dir;
}

test('with no config file it serves the embedded default over real HTTP', async () => {
  const lines: string[] = [];
  const app = await startProxyApp({ cwd: dirWith(), env: {}, port: 0, log: (l) => lines.push(l) });
  apps.push(app);
  expect(lines.join('\n')).toContain('embedded default');
  const models = await (await fetch(`${app.url}/v1/models`)).json();
  expect(models.data.map((m: { id: string }) => m.id)).toContain('gpt-4-streaming');

  const response = await fetch(`${app.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock', messages: [{ role: 'user', content: 'Count to 5' }] }),
  });
  expect(response.status).toBe(200);
  const body = await response.json();
  expect(body.object).toBe('chat.completion');
  expect(body.choices[0].message.content).toMatch(/1.*2.*3.*4.*5/s);
});

test('reads config.yaml from the working directory, with its aliases', async () => {
  const yaml =
    'providers:\n  canned: { type: mock, responses: { tiny: "hello from yaml" } }\nmodels:\n  tiny: { provider: canned }\n';
  const app = await startProxyApp({ cwd: dirWith(yaml), env: {}, port: 0 });
  apps.push(app);
  const response = await fetch(`${app.url}/v1/messages`, {
    method: 'POST',
    body: JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: 'hi' }] }),
  });
  const message = await response.json();
  expect(message.content[0].text).toBe('hello from yaml');
});

test('an invalid config is refused with positions, and nothing listens', async () => {
  const dir = dirWith('models:\n  gpt-4: { provider: opnai }\n');
  await expect(startProxyApp({ cwd: dir, env: {}, port: 0 })).rejects.toThrow(InvalidConfigError);
  await expect(startProxyApp({ cwd: dir, env: {}, port: 0 })).rejects.toThrow(/config\.yaml:2:\d+/);
});
