/** TokenPak in-process on 127.0.0.1:0, with every provider pointed at the fake upstream. */
import { parseConfig, type TokenPakConfig } from '@tokenpak/config';
import { createGateway, type RequestLogLine } from '@tokenpak/server';
import { serve } from '@tokenpak/server/node';

export interface TokenPak {
  url: string;
  logs: RequestLogLine[];
  close(): Promise<void>;
}

/** The aliases the agents use, one per upstream wire API. */
export const ALIASES = {
  anthropic: 'claude-agent',
  chat: 'gpt-agent',
  responses: 'resp-agent',
} as const;

export function agentConfig(upstreamUrl: string, { responsesUpstream }: { responsesUpstream: boolean }) {
  const yaml = `
streaming:
  enabled: true
  formats: [sse, chunked]
  buffer_tokens: 1
  flush_interval_ms: 50
providers:
  anthropic:
    type: anthropic
    api_key: sk-ant-fake
    base_url: ${upstreamUrl}
  openai:
    type: openai
    api_key: sk-fake
    base_url: ${upstreamUrl}/v1
${
  responsesUpstream
    ? `  openai-responses:
    type: openai
    api_key: sk-fake
    base_url: ${upstreamUrl}/v1
    api: responses
`
    : ''
}models:
  ${ALIASES.anthropic}: { provider: anthropic, buffer_tokens: 1 }
  ${ALIASES.chat}: { provider: openai, buffer_tokens: 1 }
${responsesUpstream ? `  ${ALIASES.responses}: { provider: openai-responses, buffer_tokens: 1 }\n` : ''}`;
  const result = parseConfig(yaml, { env: {}, filename: 'e2e-agents.yaml' });
  if (!result.ok) {
    throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  }
  return result.config;
}

export async function startTokenPak(config: TokenPakConfig): Promise<TokenPak> {
  const logs: RequestLogLine[] = [];
  const gateway = await createGateway(config, { logger: (line) => logs.push(line) });
  const server = await serve(gateway, { host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    logs,
    async close() {
      await server.close(0);
      await gateway.close(0);
    },
  };
}
