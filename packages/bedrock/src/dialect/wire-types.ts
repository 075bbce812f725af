/**
 * The parts of Bedrock Runtime's Converse / ConverseStream wire this package writes and reads
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html). Blobs (image bytes,
 * redacted reasoning) are base64 strings in the JSON.
 */

export interface BedrockImageBlock {
  format: 'png' | 'jpeg' | 'gif' | 'webp';
  source: { bytes: string };
}

export interface BedrockDocumentBlock {
  format: 'pdf' | 'csv' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'html' | 'txt' | 'md';
  /** Letters, digits, single spaces, hyphens, parentheses and square brackets only. */
  name: string;
  source: { bytes: string };
}

export type BedrockToolResultContent = { text: string } | { json: unknown } | { image: BedrockImageBlock };

export interface BedrockReasoningContent {
  reasoningText?: { text: string; signature?: string };
  /** Encrypted reasoning (base64), to be sent back as it came. */
  redactedContent?: string;
}

export interface BedrockContentBlock {
  text?: string;
  image?: BedrockImageBlock;
  document?: BedrockDocumentBlock;
  toolUse?: { toolUseId: string; name: string; input: unknown };
  toolResult?: {
    toolUseId: string;
    content: BedrockToolResultContent[];
    status?: 'success' | 'error';
  };
  reasoningContent?: BedrockReasoningContent;
}

export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: BedrockContentBlock[];
}

export interface BedrockUsage {
  /** Input tokens not read from or written to the prompt cache. */
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** The body of a Converse answer. */
export interface ConverseResponse {
  output?: { message?: BedrockMessage };
  /** end_turn, tool_use, max_tokens, stop_sequence, guardrail_intervened, content_filtered... */
  stopReason?: string;
  usage?: BedrockUsage;
  metrics?: { latencyMs?: number };
  /** What `additionalModelResponseFieldPaths` asked for, e.g. Claude's `stop_sequence`. */
  additionalModelResponseFields?: Record<string, unknown>;
}

/** ConverseStream event payloads, by `:event-type`. */
export interface MessageStartPayload {
  role?: string;
}

export interface ContentBlockStartPayload {
  contentBlockIndex?: number;
  start?: { toolUse?: { toolUseId?: string; name?: string } };
}

export interface ContentBlockDeltaPayload {
  contentBlockIndex?: number;
  delta?: {
    text?: string;
    /** A fragment of the tool input's JSON text. */
    toolUse?: { input?: string };
    reasoningContent?: { text?: string; signature?: string; redactedContent?: string };
  };
}

export interface ContentBlockStopPayload {
  contentBlockIndex?: number;
}

export interface MessageStopPayload {
  stopReason?: string;
  additionalModelResponseFields?: Record<string, unknown>;
}

export interface MetadataPayload {
  usage?: BedrockUsage;
  metrics?: { latencyMs?: number };
}

/** An error body (HTTP) or an exception frame's payload. */
export interface BedrockErrorBody {
  message?: string;
  Message?: string;
  __type?: string;
  code?: string;
}
