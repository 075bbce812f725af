/**
 * SIGINT / SIGTERM: stop accepting, let open streams finish within the grace period, close them cleanly,
 * then exit. A second signal exits at once. The CLI owns its signals, so `npx tokenpak` leaves no orphan.
 */
export function shutdownOnSignals(
  stop: (signal: NodeJS.Signals) => Promise<void>,
  log: (line: string) => void,
) {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
