/**
 * TokenPak's aliases as Gemini's `models` endpoints describe models (`GET /v1beta/models`,
 * `GET /v1beta/models/{model}`), and a token count as `:countTokens` answers it. An alias is named
 * `models/<alias>`, and offers `generateContent`, `streamGenerateContent` and `countTokens` whatever serves it.
 */

export interface GeminiModel {
  name: string;
  baseModelId: string;
  version: string;
  displayName: string;
  description: string;
  supportedGenerationMethods: string[];
}

export function geminiModel(alias: string): GeminiModel {
  return {
    name: `models/${alias}`,
    baseModelId: alias,
    version: '001',
    displayName: alias,
    description: `TokenPak alias ${alias}`,
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
  };
}

/** The whole list on one page (no `nextPageToken`). */
export function geminiModelList(aliases: readonly string[]): { models: GeminiModel[] } {
  return { models: aliases.map(geminiModel) };
}

/** The answer of `:countTokens`. */
export function geminiTokenCount(totalTokens: number): { totalTokens: number } {
  return { totalTokens };
}
