export { measureCommand } from './commands/measure.ts';
export { type ProxyOptions, proxyCommand, type RunningProxy, startProxy } from './commands/proxy.ts';
export { schemaCommand } from './commands/schema.ts';
export {
  EXIT_INVALID,
  EXIT_UNREADABLE,
  EXIT_VALID,
  type ValidateConfigOptions,
  validateConfig,
  validateConfigCommand,
} from './commands/validate-config.ts';
export { main, subCommands } from './main.ts';
export { formatTimings } from './measure/format-timings.ts';
export { MeasureError } from './measure/measure-error.ts';
export { type RequestTiming, timeRequest } from './measure/time-request.ts';
export { type Output, paint, streamOutput, useColor } from './output.ts';
export {
  type ConfigReport,
  configReport,
  formatConfigReport,
  type ModelSummary,
  reportConfig,
  type StreamPolicy,
  summarizeModels,
} from './report-config.ts';
export { runCli } from './run.ts';
