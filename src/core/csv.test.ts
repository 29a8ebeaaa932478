import { describe, expect, it } from 'vitest';
import { columnIndices, readTable, splitCsvLine } from './csv';

describe('splitCsvLine', () => {
  it('handles quotes, escaped quotes, empty fields and other delimiters', () => {
    expect(splitCsvLine('a,"b,c","d ""e""",')).toEqual(['a', 'b,c', 'd "e"', '']);
    expect(splitCsvLine('a,"b ""c"", d",e')).toEqual(['a', 'b "c", d', 'e']);
    expect(splitCsvLine('x;"y;z"', ';')).toEqual(['x', 'y;z']);
  });
});

describe('readTable and columnIndices', () => {
  it('keeps editor line numbers across blank lines and finds columns in any case and order', () => {
    const t = readTable('\nA;B\n1;2\n\n3;4\n', (l) => l.split(';'), 'test file');
    expect(t.header).toEqual(['A', 'B']);
    expect(t.rows).toEqual([{ line: 3, cols: ['1', '2'] }, { line: 5, cols: ['3', '4'] }]);
    expect(columnIndices(t.header, ['b', 'A'], 'test file')).toEqual([1, 0]);
  });

  it('names the file and the missing column', () => {
    expect(() => readTable('\n\n', (l) => l.split(','), 'x.csv')).toThrow(expect.objectContaining({ code: 'invalid_data', message: 'x.csv is empty' }));
    expect(() => columnIndices(['A'], ['A', 'C'], 'x.csv')).toThrow(/x\.csv: missing column "C"/);
  });
});
