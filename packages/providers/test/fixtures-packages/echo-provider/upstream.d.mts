import type { FakeUpstream } from '@tokenpak/provider-utils/test';

export declare function echoAnswer(body: string): {
  words: string[];
  finishReason: 'STOP' | 'MAX_TOKENS';
  usageMetadata: { promptTokenCount: number; candidatesTokenCount: number };
};
export declare function startEchoUpstream(options?: { apiKey?: string }): Promise<FakeUpstream>;
