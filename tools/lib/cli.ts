import { LocalrecError } from '../../src/core/errors';

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
