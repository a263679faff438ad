/**
 * One CSV line → its fields, for the small hand-written CSV files (vessel particulars, maintenance events).
 *
 * RFC 4180 quoting: `"a, b"` is one field, `""` inside quotes is one quote. Lenient like most readers: a quote
 * may open anywhere in a field (` "a, b"` keeps its leading space; callers trim), and a quote left open runs to
 * the end of the line (`closed` is then false, so a caller can reject the row or keep what it read). Fields are
 * not trimmed and a trailing comma gives a last empty field. The caller splits lines (a field cannot span two)
 * and a trailing `\r` of a CRLF line is dropped here.
 *
 * The MarineCadastre AIS reader keeps its own `splitCsvLine` (formats/csv.ts): it is the per-row hot path of
 * bulk imports and recognises a quote only at the start of a field.
 */
export interface CsvFields {
    fields: string[];
    /** False when a quoted field was not closed before the end of the line. */
    closed: boolean;
}

export function splitCsvFields(line: string): CsvFields {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.indexOf('"') < 0) return { fields: text.split(','), closed: true };
    const fields: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i]!;
        if (quoted) {
            if (c === '"' && text[i + 1] === '"') {
                cur += '"';
                i++;
            } else if (c === '"') quoted = false;
            else cur += c;
        } else if (c === '"') quoted = true;
        else if (c === ',') {
            fields.push(cur);
            cur = '';
        } else cur += c;
    }
    fields.push(cur);
    return { fields, closed: !quoted };
}
