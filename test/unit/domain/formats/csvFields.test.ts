import { describe, expect, it } from '@jest/globals';

import { splitCsvFields } from '../../../../shared/domain/formats/csvFields.js';

describe('splitCsvFields', () => {
    it('splits a plain line on commas', () => {
        expect(splitCsvFields('a,b,c')).toEqual({ fields: ['a', 'b', 'c'], closed: true });
    });

    it('keeps commas inside a quoted field and unquotes it', () => {
        expect(splitCsvFields('1,"Oslo, Norway",x')).toEqual({
            fields: ['1', 'Oslo, Norway', 'x'],
            closed: true,
        });
    });

    it('reads a doubled quote inside quotes as one quote', () => {
        expect(splitCsvFields('"say ""hi""",2').fields).toEqual(['say "hi"', '2']);
        expect(splitCsvFields('""""').fields).toEqual(['"']);
    });

    it('keeps empty fields, an empty quoted field and a trailing comma', () => {
        expect(splitCsvFields('a,,c').fields).toEqual(['a', '', 'c']);
        expect(splitCsvFields('a,"",c').fields).toEqual(['a', '', 'c']);
        expect(splitCsvFields('a,b,').fields).toEqual(['a', 'b', '']);
        expect(splitCsvFields('"a",').fields).toEqual(['a', '']);
        expect(splitCsvFields('').fields).toEqual(['']);
        expect(splitCsvFields(',').fields).toEqual(['', '']);
    });

    it('drops the \\r of a CRLF line, quoted or not', () => {
        expect(splitCsvFields('a,b\r').fields).toEqual(['a', 'b']);
        expect(splitCsvFields('a,"b, c"\r')).toEqual({ fields: ['a', 'b, c'], closed: true });
    });

    it('does not trim, and opens a quote after leading spaces', () => {
        expect(splitCsvFields(' a , "b, c"').fields).toEqual([' a ', ' b, c']);
    });

    it('reports a quote left open and keeps what it read to the end of the line', () => {
        expect(splitCsvFields('a,"b, c')).toEqual({ fields: ['a', 'b, c'], closed: false });
    });
});
