import { defineCommand } from 'citty';
import { firstModel } from '../measure/first-model.ts';
import { formatTimings } from '../measure/format-timings.ts';
import { MeasureError } from '../measure/measure-error.ts';
import { timeRequest } from '../measure/time-request.ts';
import { paint, streamOutput } from '../output.ts';

export const measureCommand = defineCommand({
  meta: {
    name: 'measure',
    description: 'Time one non-streaming and one streaming request: total time vs time to first token.',
  },
  args: {
    url: { type: 'string', description: 'Proxy URL', default: 'http://127.0.0.1:8000' },
    model: { type: 'string', alias: 'm', description: 'Model alias (default: the first one in /v1/models)' },
    prompt: { type: 'string', description: 'Prompt to send', default: 'Write 500 words about API proxies' },
    'max-tokens': { type: 'string', description: 'max_tokens to ask for (default: the proxy default)' },
    'api-key': {
      type: 'string',
      description: 'Client key when server.api_keys is set (or TOKENPAK_API_KEY)',
    },
  },
  async run({ args }) {
    const stdout = streamOutput(process.stdout);
    const stderr = streamOutput(process.stderr);
    const url = args.url.replace(/\/+$/, '');
    const apiKey = args['api-key'] ?? process.env.TOKENPAK_API_KEY;
    const maxTokens = args['max-tokens'] === undefined ? undefined : Number(args['max-tokens']);
    try {
      const model = args.model ?? (await firstModel(url, apiKey));
      if (!model) throw new MeasureError(`no model given and none listed at ${url}/v1/models`);
      stdout.write(`Measuring ${model} at ${url}\n\n`);
      const common = { url, model, prompt: args.prompt, apiKey, maxTokens };
      const plain = await timeRequest({ ...common, stream: false });
      const streamed = await timeRequest({ ...common, stream: true });
      stdout.write(formatTimings(plain, streamed));
    } catch (error) {
      const message =
        error instanceof MeasureError
          ? error.message
          : `cannot reach ${url}: ${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}`;
      stderr.write(`${paint(stderr.color, 'red', '✖')} ${message}\n`);
      process.exitCode = 1;
    }
  },
});
