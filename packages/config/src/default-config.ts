import * as v from 'valibot';
import { deepFreeze } from './deep-freeze.ts';
import { bedrockDefaults } from './default-bedrock.ts';
import { configSchema } from './schema/config.ts';
import type { TokenPakConfig, TokenPakConfigInput } from './types.ts';

export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-4-5';
/** Pace of the embedded mock: time to first token and tokens per second. */
export const MOCK_LATENCY_MS = 150;
export const MOCK_TOKENS_PER_SECOND = 50;

/**
 * The embedded config used when there is no config file: a mock provider always, OpenAI and
 * Anthropic when their keys are in `env`, and the recipe's aliases on whichever is available; Amazon Bedrock
 * when AWS credentials and a region are in `env` (default-bedrock.ts).
 */
export function defaultConfig(env: Record<string, string | undefined> = process.env): {
  config: TokenPakConfig;
  notes: string[];
} {
  const notes: string[] = [];
  const input = {
    // The mock answers at a model-like pace, so streaming is visible (recipe Steps 3 and 6) with no keys.
    providers: {
      mock: { type: 'mock', latency_ms: MOCK_LATENCY_MS, tokens_per_second: MOCK_TOKENS_PER_SECOND },
    } as Record<string, Record<string, unknown>>,
    models: {
      mock: { provider: 'mock' },
      'mock-streaming': { provider: 'mock', stream: true },
    } as Record<string, Record<string, unknown>>,
  };
  const family = (
    name: 'openai' | 'anthropic',
    variable: string,
    aliases: [string, string],
    upstream: string,
    label: string,
  ) => {
    const key = env[variable];
    const [plain, streaming] = aliases;
    if (key) {
      input.providers[name] = { type: name, api_key: key };
      input.models[plain] = { provider: name, model: upstream };
      input.models[streaming] = { provider: name, model: upstream, stream: true };
      notes.push(`${variable} is set: ${plain} and ${streaming} use ${label} (${upstream})`);
    } else {
      input.models[plain] = { provider: 'mock' };
      input.models[streaming] = { provider: 'mock', stream: true };
      notes.push(`${variable} is not set: ${plain} and ${streaming} are served by the mock provider`);
    }
  };
  family('openai', 'OPENAI_API_KEY', ['gpt-4', 'gpt-4-streaming'], DEFAULT_OPENAI_MODEL, 'OpenAI');
  family(
    'anthropic',
    'ANTHROPIC_API_KEY',
    ['claude-opus', 'claude-opus-streaming'],
    DEFAULT_ANTHROPIC_MODEL,
    'Anthropic',
  );
  const bedrock = bedrockDefaults(env);
  Object.assign(input.providers, bedrock.providers);
  Object.assign(input.models, bedrock.models);
  notes.push(...bedrock.notes);
  notes.push(
    `the mock answers at a model-like pace: first token after ${MOCK_LATENCY_MS} ms, then ${MOCK_TOKENS_PER_SECOND} tokens/s`,
  );
  const config = v.parse(configSchema, input as TokenPakConfigInput) as TokenPakConfig;
  return { config: deepFreeze(config), notes };
}
