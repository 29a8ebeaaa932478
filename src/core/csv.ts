import { LocalrecError } from './errors';

/** Splits one CSV line, honouring double quotes and "" escapes (Online Retail quotes descriptions that hold commas). */
export function splitCsvLine(line: string, delimiter = ','): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** A delimited text file: its header and its data rows, each with its 1-based line number. */
export interface Table {
  header: string[];
  rows: { line: number; cols: string[] }[];
}

/**
 * Reads a delimited file whose first non-blank line is the header. Blank lines are skipped but
 * counted, so `line` is what an editor shows. `what` names the file in errors.
 */
export function readTable(text: string, split: (line: string) => string[], what: string): Table {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => l.trim() !== '');
  if (at < 0) throw new LocalrecError('invalid_data', `${what} is empty`);
  const rows: Table['rows'] = [];
  for (let i = at + 1; i < lines.length; i++) {
    if (lines[i]!.trim() !== '') rows.push({ line: i + 1, cols: split(lines[i]!) });
  }
  return { header: split(lines[at]!).map((h) => h.trim()), rows };
}

/**
 * Indices of the named columns (matched trimmed, case-insensitively), in the order asked.
 * Throws `LocalrecError('invalid_data')` naming the first missing column and the header seen.
 */
export function columnIndices(header: readonly string[], names: readonly string[], what: string): number[] {
  const lower = header.map((h) => h.trim().toLowerCase());
  return names.map((name) => {
    const k = lower.indexOf(name.toLowerCase());
    if (k < 0) throw new LocalrecError('invalid_data', `${what}: missing column "${name}" (header is: ${header.join(', ')})`);
    return k;
  });
}
