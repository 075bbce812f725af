/**
 * One configured alias as each API describes a model: OpenAI's `model` object, Anthropic's `ModelInfo` and
 * Gemini's `Model` (that one written by @tokenpak/gemini).
 */
import { type GeminiModel, geminiModel } from '@tokenpak/providers';
import type { AppContext } from '../app-context.ts';

export interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export interface AnthropicModel {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

export interface ModelObjects {
  openai: OpenAIModel[];
  anthropic: AnthropicModel[];
  gemini: GeminiModel[];
}

/** Every alias in config order, in each shape, built once per app. */
export function modelObjects(ctx: AppContext): ModelObjects {
  const createdAt = new Date(ctx.createdAt * 1000).toISOString();
  const entries = Object.entries(ctx.config.models);
  return {
    openai: entries.map(([alias, entry]) => ({
      id: alias,
      object: 'model',
      created: ctx.createdAt,
      owned_by: entry.provider,
    })),
    anthropic: entries.map(([alias]) => ({
      type: 'model',
      id: alias,
      display_name: alias,
      created_at: createdAt,
    })),
    gemini: entries.map(([alias]) => geminiModel(alias)),
  };
}
