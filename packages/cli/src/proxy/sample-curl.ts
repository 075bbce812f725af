import type { TokenPakConfig } from '@tokenpak/config';

/** A ready-to-paste curl for the running proxy: the recipe's Step 3, on a streaming alias. */
export function sampleCurl(config: TokenPakConfig, url: string): string {
  const aliases = Object.keys(config.models);
  const alias =
    aliases.find((name) => config.models[name]?.stream === true) ??
    aliases.find((name) => config.models[name]?.stream !== false) ??
    aliases[0] ??
    'MODEL';
  const body = JSON.stringify({
    model: alias,
    stream: true,
    messages: [{ role: 'user', content: 'Write a haiku about API proxies' }],
  });
  const auth = config.server.api_keys?.length ? ` \\\n  -H "x-api-key: $TOKENPAK_API_KEY"` : '';
  return `curl -X POST ${url}/v1/messages \\\n  -H "Content-Type: application/json"${auth} \\\n  -d '${body}' \\\n  --no-buffer`;
}
