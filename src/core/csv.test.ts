import { describe, expect, it } from 'vitest';
import { splitCsvLine } from './csv';

describe('splitCsvLine', () => {
  it('handles quotes, escaped quotes, empty fields and other delimiters', () => {
    expect(splitCsvLine('a,"b,c","d ""e""",')).toEqual(['a', 'b,c', 'd "e"', '']);
    expect(splitCsvLine('a,"b ""c"", d",e')).toEqual(['a', 'b "c", d', 'e']);
    expect(splitCsvLine('x;"y;z"', ';')).toEqual(['x', 'y;z']);
  });
});
