/**
 * A synchronous step of a streaming pipeline: one input in, any number of outputs out, through a callback.
 * Each dialect's stream decoder and encoder is one of these, so that a hot path can run several steps per
 * network chunk in plain function calls; `stageToTransformStream` wraps one as a web TransformStream for
 * everything else.
 */

/** Receives a stage's outputs, in order. */
export type Emit<O> = (output: O) => void;

export interface StreamStage<I, O> {
  /** Handles one input, emitting what follows from it (possibly nothing). */
  push(input: I, emit: Emit<O>): void;
  /** The input has ended: emits what is still owed (a final event, or an error for a stream cut short). */
  end(emit: Emit<O>): void;
}

/** The stage as a TransformStream: `push` per chunk, `end` on flush. */
export function stageToTransformStream<I, O>(stage: StreamStage<I, O>): TransformStream<I, O> {
  let emit: Emit<O>;
  return new TransformStream<I, O>({
    start(controller) {
      emit = (output) => controller.enqueue(output);
    },
    transform(input) {
      stage.push(input, emit);
    },
    flush() {
      stage.end(emit);
    },
  });
}
