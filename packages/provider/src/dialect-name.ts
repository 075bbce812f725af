/**
 * A wire dialect's name: `openai-chat`, `anthropic-messages`, or any other a dialect package declares.
 * The list is open: adding a dialect is adding a package, nothing here changes.
 */
export type DialectName = string;
