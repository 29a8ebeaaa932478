/**
 * `npx localrec <command> [options]`: the store-side tools of the installed package, under one
 * command. Compiled to dist/cli/localrec.js (`vite build --mode cli`) and started by
 * bin/localrec.mjs; in this repository the same tools run through `npm run <command>` with tsx.
 *
 *   localrec --help                      the commands
 *   localrec <command> --help            one command's options
 *   localrec <command> [options]         runs it (exit 2: wrong command line, 1: bad input data)
 *
 * Each tool is loaded only when asked for, so `--help` does not load TensorFlow.js.
 */
import { runTool } from './lib/cli';

interface Tool {
  main: () => unknown;
  USAGE: string;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<Tool> }> = {
  'build-bundle': {
    summary: 'builds the session-ranking bundle (session-bundle.bin) from the store\'s event log',
    load: () => import('./build-bundle'),
  },
  'store-sql': {
    summary: 'writes the bundle build\'s .sql files, filled in, to run on Spark, BigQuery or DuckDB',
    load: () => import('./store-sql'),
  },
  'fit-lifecycle': {
    summary: 'fits the lifecycle population parameters (BG/NBD, Gamma-Gamma) from a purchase log',
    load: () => import('./fit-lifecycle'),
  },
  'train-purchase-model': {
    summary: 'trains and evaluates the session purchase-probability model',
    load: () => import('./train-purchase-model'),
  },
};

/** The tools' usage lines name their npm scripts; from the package they are localrec commands. */
const asCommand = (name: string, usage: string) => usage.replace(`npm run ${name} --`, `localrec ${name}`);

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['usage: localrec <command> [options]', '', 'commands:', ...lines, '', 'localrec <command> --help shows its options.'].join('\n');
}

async function dispatch(args: readonly string[]): Promise<void> {
  const [name, ...rest] = args;
  if (name === undefined) {
    console.error(help());
    process.exit(2);
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`localrec: unknown command "${name}"\n\n${help()}`);
    process.exit(2);
  }
  const tool = await command.load();
  const usage = asCommand(name, tool.USAGE);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: ${usage}`);
    return;
  }
  // The tool reads its options from process.argv, as when it is started on its own.
  process.argv.splice(2, process.argv.length - 2, ...rest);
  await runTool(name, usage, tool.main);
}

await dispatch(process.argv.slice(2));
