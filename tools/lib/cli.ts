import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LocalrecError } from '../../src/core/errors';

/**
 * True when the module at `moduleUrl` (its `import.meta.url`) is the script Node was started
 * with, so a test can import a tool without running it.
 */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  // realpath, because Node resolves links for the module URL but not for argv.
  return script !== undefined && pathToFileURL(realpathSync(script)).href === moduleUrl;
}

/**
 * The command line's options, read strictly: an unknown option, a missing value or a stray
 * argument throws ERR_PARSE_ARGS_*, which {@link runTool} reports with the usage.
 */
export function parseOptions<const O extends NonNullable<ParseArgsConfig['options']>>(options: O) {
  return parseArgs({ options, strict: true, allowPositionals: false }).values;
}

/** A numeric option's value (undefined when not given); anything but a finite number is a wrong command line. */
export function numberOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(v)) throw new LocalrecError('invalid_argument', `--${name} must be a number, got "${text}"`);
  return v;
}

/** An option that takes one of a few words (undefined when not given). */
export function choiceOption<T extends string>(name: string, text: string | undefined, choices: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) {
    throw new LocalrecError('invalid_argument', `--${name} must be one of ${choices.join(', ')}, got "${text}"`);
  }
  return text as T;
}

/**
 * Runs a command-line tool's main and turns the errors a user can cause (an unknown option, a
 * missing file, a file that does not parse) into one clear line and the usage, instead of a stack
 * trace. Exit codes: 2 for a wrong command line, 1 for bad input data; anything else is a bug and
 * is rethrown.
 */
export async function runTool(name: string, usage: string, main: () => unknown): Promise<void> {
  try {
    await main();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${name}: ${(e as Error).message}\n\nusage: ${usage}`);
      process.exit(2);
    }
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      console.error(`${name}: cannot read ${(e as { path?: string }).path ?? 'a file'} (${code})`);
      process.exit(1);
    }
    if (e instanceof LocalrecError) {
      console.error(`${name}: ${e.code}: ${e.message}${e.code === 'invalid_argument' ? `\n\nusage: ${usage}` : ''}`);
      process.exit(e.code === 'invalid_argument' ? 2 : 1);
    }
    throw e;
  }
}
