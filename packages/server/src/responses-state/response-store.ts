/**
 * The Responses API's conversation state, for upstreams that keep none: each response served to a Responses
 * client (unless it asked `store: false`) is kept with the conversation that led to it, so that a later request
 * naming it in `previous_response_id` continues that conversation, and `GET /v1/responses/{id}` finds it. An
 * interface first; `createMemoryResponseStore` keeps a bounded number for a bounded time, and a later
 * implementation can share them between instances.
 */
import type { CanonicalMessage, CanonicalResponse } from '@tokenpak/providers';

export interface StoredResponse {
  id: string;
  /** The alias the client asked for. */
  model: string;
  /** The conversation so far: the system prompt and every turn, this response's output included. */
  system?: string;
  messages: CanonicalMessage[];
  /** The turns the client sent with this request (for `input_items`). */
  input: CanonicalMessage[];
  /** Undefined while the response is still being streamed (then only its stream can be read). */
  response?: CanonicalResponse;
  /** The stream log of the streamed response, for `GET /v1/responses/{id}?stream=true`. */
  streamId?: string;
  /** Who may read it (see streamOwner). */
  owner: string;
}

export interface ResponseStore {
  put(response: StoredResponse): void;
  get(id: string): StoredResponse | undefined;
  delete(id: string): void;
}

export function createMemoryResponseStore(options: { maxEntries: number; ttlMs: number }): ResponseStore {
  const entries = new Map<string, { value: StoredResponse; expires: number }>();
  return {
    put(value) {
      if (options.maxEntries === 0) return;
      entries.delete(value.id);
      entries.set(value.id, { value, expires: Date.now() + options.ttlMs });
      // Oldest first: Map keeps insertion order.
      while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string);
    },
    delete(id) {
      entries.delete(id);
    },
    get(id) {
      const entry = entries.get(id);
      if (!entry) return undefined;
      if (entry.expires <= Date.now()) {
        entries.delete(id);
        return undefined;
      }
      return entry.value;
    },
  };
}
