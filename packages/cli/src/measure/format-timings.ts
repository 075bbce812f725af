import type { RequestTiming } from './time-request.ts';

function seconds(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function tokensPerSecond(timing: RequestTiming): string {
  if (timing.outputTokens === undefined || timing.totalMs <= 0) return '-';
  return (timing.outputTokens / (timing.totalMs / 1000)).toFixed(1);
}

/** The side-by-side table `tokenpak measure` prints (pitfall 6: time to first token apart from total time). */
export function formatTimings(plain: RequestTiming, streamed: RequestTiming): string {
  const rows = [
    ['', 'total time', 'first token', 'output tokens', 'tokens/s'],
    ...[plain, streamed].map((t) => [
      t.stream ? 'streaming' : 'non-streaming',
      seconds(t.totalMs),
      seconds(t.firstTokenMs),
      t.outputTokens === undefined ? '-' : String(t.outputTokens),
      tokensPerSecond(t),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('   ')
      .trimEnd(),
  );
  const saved = plain.firstTokenMs - streamed.firstTokenMs;
  const verdict =
    saved > 0
      ? `Streaming showed the first token ${seconds(saved)} sooner (${(plain.firstTokenMs / Math.max(streamed.firstTokenMs, 0.001)).toFixed(1)}x).`
      : 'Streaming did not show the first token sooner on this answer.';
  return `${lines.join('\n')}\n\n${verdict}\n`;
}
