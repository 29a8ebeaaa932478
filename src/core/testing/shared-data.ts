import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

// The data sets are too large for the repository; CI checks them out as ../shared beside the clone.
const ROOT = new URL('../../../../shared/data/', import.meta.url);

/**
 * Absolute path of `relPath` under ../shared/data, or undefined when it is absent. An absent set
 * prints one warning line, so a run without the data cannot pass for a run that checked it.
 */
export function sharedData(relPath: string): string | undefined {
  const path = fileURLToPath(new URL(relPath, ROOT));
  if (existsSync(path)) return path;
  console.warn(`skipped: ../shared/data/${relPath} not found (CI places ../shared beside the clone)`);
  return undefined;
}

/**
 * `describe(title, ...)` over the data set at `relPath`, given its absolute path. Without the data
 * the suite is reported as skipped, with a title that names the missing set.
 */
export function describeWithSharedData(relPath: string, title: string, body: (path: string) => void): void {
  const path = sharedData(relPath);
  if (path !== undefined) describe(title, () => body(path));
  else describe.skip(`${title} [skipped: ../shared/data/${relPath} not found]`, () => it('needs the data set', () => undefined));
}
