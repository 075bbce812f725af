import { configJsonSchema } from '@tokenpak/config';
import { defineCommand } from 'citty';

export const schemaCommand = defineCommand({
  meta: {
    name: 'schema',
    description:
      'Print the config JSON Schema (save it, then add `# yaml-language-server: $schema=./tokenpak.schema.json` to config.yaml).',
  },
  run() {
    process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  },
});
