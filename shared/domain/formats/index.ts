/** Input formats → normalised records: NMEA (via the AIS decoder), JSON events, MarineCadastre CSV. */
export type { CsvOutcome } from './csv.js';
export { CSV_COLUMNS, isCsvHeader, parseCsv, parseCsvRow, parseCsvRows, splitCsvLine } from './csv.js';
export type { CsvFields } from './csvFields.js';
export { splitCsvFields } from './csvFields.js';
export type { AisRecordSource } from './fromAisMessage.js';
export { fromAisMessage } from './fromAisMessage.js';
export type { JsonRejectReason, ParseOutcome } from './json.js';
export { parseJsonEvents, parseJsonLine, parseTimestamp, validateEvent } from './json.js';
export type { InputFormat } from './sniff.js';
export { sniffFormat, sniffLine } from './sniff.js';
