import type { ConfigIssue } from './issue.ts';
import type { SourceLocator } from './source-locator.ts';
import type { TokenPakConfig } from './types.ts';

/** Providers whose model ids are a fixed public list: an alias sent as the id may be unknown there. */
const HOSTED = { openai: 'OpenAI', anthropic: 'Anthropic' } as const;

/** An alias suffix that names how the alias streams; no hosted provider has a model with it. */
const STREAM_SUFFIX = /-(streaming|stream)$/;

/**
 * Aliases on OpenAI or Anthropic written without `model:`: the alias itself is sent upstream as the
 * model id. A note in general (the alias may be a real id, like gpt-4o); a warning when the alias ends
 * in -streaming or -stream, which is certain to be refused upstream (404, model not found).
 */
export function upstreamModelChecks(config: TokenPakConfig, at: SourceLocator): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [alias, model] of Object.entries(config.models)) {
    const type = config.providers[model.provider]?.type;
    if (type !== 'openai' && type !== 'anthropic') continue;
    if (model.model !== alias || at.has(['models', alias, 'model'])) continue;
    const vendor = HOSTED[type];
    const given = `no model: given, so the upstream model id is '${alias}'`;
    const suffix = STREAM_SUFFIX.exec(alias)?.[0];
    issues.push(
      suffix
        ? at.issue(
            'warning',
            ['models', alias],
            `${given}, which ${vendor} does not know (${suffix} is part of the alias, not of a model id): add model: <id>`,
            'key',
          )
        : at.issue(
            'info',
            ['models', alias],
            `${given}; add model: <id> if ${vendor} does not know that name`,
            'key',
          ),
    );
  }
  return issues;
}
