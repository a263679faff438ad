/**
 * Parquet encoding of a `ParquetTable` with hyparquet-writer (pure JS, snappy built in).
 *
 * Type mapping (every column OPTIONAL, null/undefined → null):
 * STRING → BYTE_ARRAY/UTF8; DOUBLE → DOUBLE; INT32 → INT32; INT64 → INT64 (number or bigint in, the library
 * wants bigint); BOOLEAN → BOOLEAN; TIMESTAMP_MILLIS → INT64/TIMESTAMP_MILLIS (epoch ms or Date in);
 * JSON → BYTE_ARRAY/JSON (the value stringified).
 */
import { type BasicType, type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';

import type { ParquetColumn, ParquetTable, ParquetType } from '../app/ports.js';
import { ValidationError } from '../errors.js';

const BASIC_TYPE: Record<ParquetType, BasicType> = {
    STRING: 'STRING',
    DOUBLE: 'DOUBLE',
    INT32: 'INT32',
    INT64: 'INT64',
    BOOLEAN: 'BOOLEAN',
    TIMESTAMP_MILLIS: 'TIMESTAMP',
    JSON: 'JSON',
};

type Converter = (value: unknown) => unknown;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

function converterFor(type: ParquetType): Converter {
    switch (type) {
        case 'STRING':
            return (v) =>
                typeof v === 'string'
                    ? v
                    : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint'
                      ? String(v)
                      : JSON.stringify(v);
        case 'DOUBLE':
            return (v) => (typeof v === 'number' ? v : undefined);
        case 'INT32':
            return (v) =>
                typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX
                    ? v
                    : undefined;
        case 'INT64':
            return (v) =>
                typeof v === 'bigint'
                    ? v
                    : typeof v === 'number' && Number.isSafeInteger(v)
                      ? BigInt(v)
                      : undefined;
        case 'BOOLEAN':
            return (v) => (typeof v === 'boolean' ? v : undefined);
        case 'TIMESTAMP_MILLIS':
            return (v) =>
                typeof v === 'number' && Number.isFinite(v)
                    ? BigInt(Math.trunc(v))
                    : v instanceof Date && !Number.isNaN(v.getTime())
                      ? BigInt(v.getTime())
                      : undefined;
        case 'JSON':
            // hyparquet-writer stringifies JSON columns itself (and handles bigint via toJson).
            return (v) => v;
    }
}

function buildColumn(column: ParquetColumn, rows: ParquetTable['rows']): ColumnSource {
    const convert = converterFor(column.type);
    const data = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) {
        const value = rows[i]?.[column.name];
        if (value === null || value === undefined) {
            data[i] = null;
            continue;
        }
        const converted = convert(value);
        if (converted === undefined) {
            throw new ValidationError(
                `Parquet column '${column.name}' (${column.type}): row ${i} has an unsupported value ${describe(value)}`,
            );
        }
        data[i] = converted;
    }
    return {
        name: column.name,
        data: data as ColumnSource['data'],
        type: BASIC_TYPE[column.type],
        nullable: true,
    };
}

function describe(value: unknown): string {
    const text = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
    return `${typeof value} ${text.length > 60 ? `${text.slice(0, 60)}...` : text}`;
}

/** Encodes the table as one Parquet file (snappy, column statistics on). Throws ValidationError on a value of the wrong type. */
export function encodeParquet(table: ParquetTable): Uint8Array {
    const names = new Set<string>();
    for (const column of table.columns) {
        if (names.has(column.name))
            throw new ValidationError(`Parquet column '${column.name}' is declared twice`);
        names.add(column.name);
    }
    if (table.columns.length === 0) throw new ValidationError('A Parquet table needs at least one column');
    const columnData = table.columns.map((column) => buildColumn(column, table.rows));
    return new Uint8Array(parquetWriteBuffer({ columnData, codec: 'SNAPPY', rowGroupSize: 100_000 }));
}
