/** A failure `tokenpak measure` reports as is (the message is already in the user's words). */
export class MeasureError extends Error {
  override readonly name = 'MeasureError';
}
