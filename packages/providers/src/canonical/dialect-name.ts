/** The wire dialects TokenPak speaks, on both sides of the proxy. */
export type DialectName = 'openai-chat' | 'anthropic-messages';
