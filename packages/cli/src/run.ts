import { type CommandDef, renderUsage, runMain } from 'citty';
import { main } from './main.ts';
import { useColor } from './output.ts';

const ANSI = /\u001b\[[0-9;]*m/g;

async function showUsage(cmd: CommandDef<any>, parent?: CommandDef<any>): Promise<void> {
  const usage = await renderUsage(cmd, parent);
  process.stdout.write(`${useColor(process.stdout) ? usage : usage.replace(ANSI, '')}\n`);
}

/** Runs the tokenpak command line (what the `tokenpak` executable does). */
export async function runCli(rawArgs: string[] = process.argv.slice(2)): Promise<void> {
  await runMain(main, { rawArgs, showUsage });
}
