/**
 * The canonical request: what every client dialect parses into and every upstream dialect builds from.
 * Field names are ours (camelCase); wire names live only in the dialect modules.
 */
import type { DialectName } from './dialect-name.ts';

export type ImageSource = { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string };

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ImagePart {
  type: 'image';
  source: ImageSource;
}

/**
 * Where a document's bytes are: inline (`base64`, with its media type), at a URL the upstream fetches, or
 * plain text (Anthropic's `text` source).
 */
export type DocumentSource =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url'; url: string; mediaType?: string }
  | { kind: 'text'; text: string };

/**
 * A file the user attached: a PDF, a text file… (OpenAI Chat `file`, Responses `input_file`, Anthropic
 * `document`, Gemini non-image `inlineData` / `fileData`, Converse `document`). Files held in a provider's
 * own store (OpenAI `file_id`, Anthropic Files API) have no canonical form: the parsers mark the request
 * `untranslatable`. `title` and `context` are Anthropic's (and Converse's `context`); `filename` OpenAI's (and
 * Converse's `name`).
 */
export interface DocumentPart {
  type: 'document';
  source: DocumentSource;
  filename?: string;
  title?: string;
  context?: string;
}

/** A tool call the assistant made. `arguments` is the JSON text exactly as the model produced it. */
export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  arguments: string;
}

/** The result of a tool call, sent back by the client in a user (Anthropic) or tool (OpenAI) turn. */
export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
}

/**
 * Model reasoning. `signature` is the provider's opaque proof (Anthropic's signature, OpenAI's
 * `encrypted_content`); it must be sent back unchanged, and only to the provider that minted it (a tagged
 * one, such as Gemini's `gemini-ts:…`, only to its dialect: see `signatureTag`).
 */
export interface ThinkingPart {
  type: 'thinking';
  text: string;
  signature?: string;
}

/** Reasoning the provider encrypted (Anthropic `redacted_thinking`); `data` is opaque. */
export interface RedactedThinkingPart {
  type: 'redacted-thinking';
  data: string;
}

export type UserContentPart = TextPart | ImagePart | DocumentPart | ToolResultPart;
export type AssistantContentPart = TextPart | ToolCallPart | ThinkingPart | RedactedThinkingPart;

/**
 * A turn of the conversation. `system` turns are instructions given mid-conversation, at their position
 * (Anthropic `role: "system"` messages, OpenAI `system` / `developer` messages after the first turn); the
 * system prompt before the first turn is `CanonicalRequest.system`.
 */
export type CanonicalMessage =
  | { role: 'user'; content: UserContentPart[] }
  | { role: 'assistant'; content: AssistantContentPart[] }
  | { role: 'system'; content: TextPart[] };

export interface CanonicalTool {
  name: string;
  description?: string;
  /** JSON Schema of the tool's input object. */
  inputSchema: Record<string, unknown>;
  /** Ask the provider to follow the schema exactly (OpenAI `function.strict`). */
  strict?: boolean;
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

/**
 * Parts of the client's body kept verbatim because the canonical fields cannot carry all of them
 * (Anthropic `cache_control`, citations, server tools and their result blocks...).
 * A builder of `dialect` sends these instead of the matching canonical field; every other builder ignores
 * them, since the canonical field holds everything that translates. Set only when something would be lost.
 */
export interface NativeFields {
  dialect: DialectName;
  /** The body's `system` as sent (e.g. Anthropic text blocks with cache_control). */
  system?: unknown;
  /** The body's `tools` as sent (e.g. with Anthropic server tools such as web_search). */
  tools?: unknown[];
  /** The body's `messages` as sent (e.g. with search-result or server-tool-result blocks). */
  messages?: unknown[];
}

/**
 * How hard to think, in the words of every dialect. OpenAI's `reasoning_effort` / `reasoning.effort` use
 * `none` … `xhigh`; Anthropic's `output_config.effort` uses `low` … `max`. Each builder maps what its upstream
 * lacks (see the dialect READMEs): e.g. `max` is sent to OpenAI as `xhigh`, `none` / `minimal` to Anthropic as
 * no thinking.
 */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface CanonicalReasoning {
  /** A thinking budget in tokens (Anthropic `thinking: {type: "enabled", budget_tokens}`). */
  budgetTokens?: number;
  effort?: ReasoningEffort;
  /**
   * `adaptive`: the model decides whether and how much to think (Anthropic `thinking: {type: "adaptive"}`).
   * Other dialects have no such switch: they send only the effort, if any (their models' default otherwise).
   */
  mode?: 'adaptive';
  /**
   * The body parameter that carried `effort` when it was Anthropic's `output_config.effort` (rather than a
   * budget): an Anthropic build sends it back there too. Other builds ignore it.
   */
  effortParam?: 'output_config';
}

/**
 * The shape the answer must take: OpenAI Chat `response_format`, Responses `text.format`, Anthropic
 * `output_config.format`, Gemini `responseMimeType` + `responseJsonSchema` (or `responseSchema`), Ollama
 * `format`, Converse `outputConfig.textFormat`. `text` is the default everywhere; `json_object` asks for any
 * JSON object; `json_schema` for JSON that follows `schema` (a JSON Schema). `name` and `description` are
 * OpenAI's labels for the schema (`name` is required there: builders fill one in when absent); `strict`
 * asks OpenAI to follow the schema exactly (others always constrain, or never: see the dialect READMEs).
 */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      schema: Record<string, unknown>;
      name?: string;
      description?: string;
      strict?: boolean;
    };

export interface CanonicalRequest {
  /** The model name the client sent (a TokenPak alias). The upstream id is resolved by the router. */
  model: string;
  /** System prompt; OpenAI `system`/`developer` messages and Anthropic `system` both land here. */
  system?: string;
  messages: CanonicalMessage[];
  tools?: CanonicalTool[];
  toolChoice?: ToolChoice;
  /** false: at most one tool call per turn. */
  parallelToolCalls?: boolean;
  maxTokens?: number;
  /**
   * OpenAI only: the body parameter that carried `maxTokens` in the client's request. A same-dialect build
   * keeps it (reasoning models refuse `max_tokens`); other builds ignore it.
   */
  maxTokensParam?: 'max_tokens' | 'max_completion_tokens';
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  stream: boolean;
  /**
   * The client asked for usage figures in the stream (OpenAI `stream_options.include_usage`). Upstreams are
   * always asked for usage; this only tells the client's encoder whether to send it (EncodeStreamOptions).
   */
  includeUsage?: boolean;
  /** End-user id for abuse tracking (OpenAI `user`, Anthropic `metadata.user_id`). */
  userId?: string;
  /** Reasoning budget / effort / mode, when the client asked for one (see CanonicalReasoning). */
  reasoning?: CanonicalReasoning;
  /** Structured output, when the client asked for one (see ResponseFormat). */
  responseFormat?: ResponseFormat;
  /** The dialect the client spoke. */
  sourceDialect: DialectName;
  /**
   * Fields of the client's body that have no canonical meaning (OpenAI `n`, `logprobs`, `seed`...;
   * Anthropic `container`, `mcp_servers`...). They are re-applied verbatim only when the upstream
   * speaks the same dialect as the client; across dialects they are dropped and named in `warnings`.
   */
  passthrough: Record<string, unknown>;
  /**
   * Set when the request asks for something the canonical stream cannot carry (OpenAI `n > 1`, `logprobs`):
   * such a request can only be served byte-for-byte by an upstream of the same dialect.
   */
  requiresSameDialect?: string;
  /** Verbatim body fields for an upstream of the client's own dialect (see NativeFields). */
  native?: NativeFields;
  /**
   * The client's body exactly as parsed from JSON. An upstream of the client's own dialect is sent this body
   * with only the model (and the stream flag the route asks for) changed: unknown fields, roles, blocks and
   * tool types survive. Every other builder reads the canonical fields.
   */
  raw?: Readonly<Record<string, unknown>>;
  /**
   * Set when something in the body cannot be translated to another dialect without changing its meaning (an
   * unknown role, block or forced tool): the request is served by an upstream of the client's own dialect
   * (from `raw`), and refused with a 400 naming the field by any other.
   */
  untranslatable?: string;
  /**
   * Server-side conversation state the client refers to (OpenAI Responses `previous_response_id`): an upstream
   * of the client's dialect keeps it itself; for any other, the proxy answers it from its own store.
   */
  previousResponseId?: string;
  /** Whether the client wants this response stored for a later `previousResponseId` (Responses `store`). */
  store?: boolean;
}
