/** One Server-Sent Events message, as a dialect's stream decoder receives it. */
export interface SseMessage {
  /** `event:` field, or undefined for the default "message" event. */
  event?: string;
  data: string;
  id?: string;
}
