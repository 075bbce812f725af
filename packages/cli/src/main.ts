import { defineCommand, type SubCommandsDef } from 'citty';
import pkg from '../package.json' with { type: 'json' };
import { measureCommand } from './commands/measure.ts';
import { proxyCommand } from './commands/proxy.ts';
import { schemaCommand } from './commands/schema.ts';
import { validateConfigCommand } from './commands/validate-config.ts';

/** Every `tokenpak <name>` command: add one line per new command (each is src/commands/<name>.ts). */
export const subCommands: SubCommandsDef = {
  'validate-config': validateConfigCommand,
  schema: schemaCommand,
  proxy: proxyCommand,
  measure: measureCommand,
};

export const main = defineCommand({
  meta: {
    name: 'tokenpak',
    version: pkg.version,
    description: 'TokenPak: a streaming LLM API proxy.',
  },
  subCommands,
});
