/**
 * The embedded analytical engine of the store-side build: DuckDB (@duckdb/node-api), opened on
 * a database file in a temporary folder with a memory limit, so what does not fit spills to disk
 * instead of failing. The aggregations themselves are the .sql files beside this one, run with
 * their {{placeholders}} filled in; this file knows nothing about bundles.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { LocalrecError } from '../../src/core/errors';

/** How much of the machine the engine may use. */
export interface EngineOptions {
  /** DuckDB's memory_limit, e.g. '1GB' (default); past it, operators spill to `tempDirectory`. */
  readonly memoryLimit?: string;
  /** Where the database file and spilled data go (default: a new folder under the OS temp dir, removed on close). */
  readonly tempDirectory?: string;
  /** Worker threads (default: DuckDB's, one per core). */
  readonly threads?: number;
}

/** The values a .sql file's {{placeholders}} take: numbers, or SQL expressions (themselves with placeholders). */
export type SqlParams = Readonly<Record<string, number | { readonly sql: string }>>;

const SQL_DIR = new URL('./sql/', import.meta.url);

/** The text of one of the build's .sql files (tools/store-build/sql/). */
export function sqlFile(name: string): string {
  return readFileSync(new URL(name, SQL_DIR), 'utf8');
}

/**
 * Fills in `{{name}}` placeholders: expressions first (they may hold placeholders), then numbers.
 * A placeholder without a value, or a value that is not a finite number, is a bug in the caller.
 */
export function fillSql(text: string, params: SqlParams): string {
  let out = text;
  for (let pass = 0; pass < 3 && out.includes('{{'); pass++) {
    out = out.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const v = params[name];
      if (v === undefined) throw new LocalrecError('invalid_argument', `SQL placeholder {{${name}}} has no value.`);
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new LocalrecError('invalid_argument', `SQL placeholder {{${name}}} must be a finite number, got ${v}.`);
        return String(v);
      }
      return v.sql;
    });
  }
  return out;
}

/** Splits a .sql file into statements: `;` at a line end ends one; `--` comment lines are dropped. */
export function sqlStatements(text: string): string[] {
  const body = text.split('\n').filter((l) => !l.trimStart().startsWith('--')).join('\n');
  return body.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter((s) => s !== '');
}

/** One open DuckDB database for one build; close() removes its files. */
export class Engine {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly dir: string,
    private readonly ownsDir: boolean,
  ) {}

  static async open(opts: EngineOptions = {}): Promise<Engine> {
    let duckdb: typeof import('@duckdb/node-api');
    try {
      duckdb = await import('@duckdb/node-api');
    } catch {
      throw new LocalrecError('invalid_argument', 'The DuckDB engine needs the @duckdb/node-api package: `npm install @duckdb/node-api`, or build in memory with --engine memory.');
    }
    const ownsDir = opts.tempDirectory === undefined;
    const dir = opts.tempDirectory ?? mkdtempSync(join(tmpdir(), 'localrec-build-'));
    const config: Record<string, string> = {
      memory_limit: opts.memoryLimit ?? '1GB',
      temp_directory: join(dir, 'spill'),
      // Kept on (DuckDB's default): a file's rows are numbered in file order, which orders equal times.
      preserve_insertion_order: 'true',
    };
    if (opts.threads !== undefined) config.threads = String(opts.threads);
    const instance = await duckdb.DuckDBInstance.create(join(dir, `build-${process.pid}-${Date.now()}.duckdb`), config);
    return new Engine(instance, await instance.connect(), dir, ownsDir);
  }

  /** Runs statements (separated by `;` at line ends). */
  async run(sql: string): Promise<void> {
    for (const statement of sqlStatements(sql)) await this.connection.run(statement);
  }

  /** Runs one of the build's .sql files with its placeholders filled in. */
  async runFile(name: string, params: SqlParams): Promise<void> {
    await this.run(fillSql(sqlFile(name), params));
  }

  /** A (small) query's rows as objects; BIGINT columns come back as bigint. */
  async rows(sql: string): Promise<Record<string, DuckDBValue>[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjects();
  }

  /** One value of a one-row query, as a number (null stays null). */
  async number(sql: string): Promise<number | null> {
    const row = (await this.rows(sql))[0];
    const v = row ? Object.values(row)[0] : null;
    return v === null || v === undefined ? null : Number(v);
  }

  /** Streams a query's rows chunk by chunk (about 2,048 rows each), column-major. */
  async eachChunk(sql: string, visit: (columns: DuckDBValue[][], rows: number) => void): Promise<void> {
    const result = await this.connection.stream(sql);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      visit(chunk.getColumns(), chunk.rowCount);
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A string as a SQL literal ('' doubled): for file paths the engine reads. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
