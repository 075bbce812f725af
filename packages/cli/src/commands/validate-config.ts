import { isConfigReadError, loadConfig } from '@tokenpak/config';
import { defineCommand } from 'citty';
import { checkProviderPackages } from '../check-provider-packages.ts';
import { type Output, paint, streamOutput } from '../output.ts';
import { configReport, reportConfig } from '../report-config.ts';

export const EXIT_VALID = 0;
export const EXIT_INVALID = 1;
export const EXIT_UNREADABLE = 2;

export interface ValidateConfigOptions {
  json?: boolean;
  env?: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
}

/**
 * Validates a config file and reports on it. Resolves to the exit code:
 * 0 valid (warnings allowed), 1 invalid, 2 the file cannot be read. A `type: custom` provider's package is
 * loaded and its options checked with the package's `optionsSchema`, errors at their line and column.
 */
export async function validateConfig(file: string, options: ValidateConfigOptions): Promise<number> {
  const env = options.env ?? process.env;
  let result: Awaited<ReturnType<typeof loadConfig>>;
  try {
    result = await loadConfig(file, { env });
  } catch (error) {
    if (!isConfigReadError(error)) throw error;
    if (options.json) {
      const issue = { severity: 'error' as const, path: '', message: error.message, file };
      const report = {
        valid: false,
        file,
        errors: [issue],
        warnings: [],
        notes: [],
        streaming: null,
        models: [],
      };
      options.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const { color } = options.stderr;
      options.stderr.write(`${paint(color, 'red', '✖')} ${error.message}\n`);
    }
    return EXIT_UNREADABLE;
  }
  // Provider packages (type: custom): loaded from the config's folder, their options checked by their schema.
  result = await checkProviderPackages(result, file);
  if (options.json) {
    options.stdout.write(`${JSON.stringify(configReport(result, file), null, 2)}\n`);
  } else {
    reportConfig(result, options.stdout);
  }
  return result.ok ? EXIT_VALID : EXIT_INVALID;
}

export const validateConfigCommand = defineCommand({
  meta: {
    name: 'validate-config',
    description: 'Check a config file: errors with file:line:col, latency warnings, streaming summary.',
  },
  args: {
    file: {
      type: 'positional',
      description: 'Config file to check',
      required: false,
      default: 'config.yaml',
    },
    json: {
      type: 'boolean',
      description: 'Print a machine-readable result',
      default: false,
    },
  },
  async run({ args }) {
    process.exitCode = await validateConfig(args.file, {
      json: args.json,
      stdout: streamOutput(process.stdout),
      stderr: streamOutput(process.stderr),
    });
  },
});
