/** The README is part of the product: every setting and every reason code must be documented there. */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { FUNCTIONS } from '../../functions/functionTable.js';
import { SETTINGS } from '../../shared/config/settingNames.js';
import { FLAG_CODES, REASON_CODES } from '../../shared/domain/validation/codes.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const DECODER_REASONS = [
    'NMEA_MALFORMED',
    'NMEA_CHECKSUM',
    'NMEA_BAD_FIELD',
    'LINE_TOO_LONG',
    'TAGBLOCK_INVALID',
    'PAYLOAD_BAD_CHAR',
    'PAYLOAD_TOO_SHORT',
    'FRAGMENT_ORPHAN',
    'FRAGMENT_INCOMPLETE',
    'UNSUPPORTED_TYPE',
    'JSON_MALFORMED',
    'JSON_SCHEMA',
    'CSV_MALFORMED',
];

describe('README', () => {
    it.each(SETTINGS.map((s) => s.name))('documents the setting %s', (name) => {
        expect(readme).toContain(`\`${name}\``);
    });

    it.each([...Object.keys(REASON_CODES), ...Object.keys(FLAG_CODES), ...DECODER_REASONS])(
        'documents the code %s',
        (code) => {
            expect(readme).toContain(`\`${code}\``);
        },
    );

    it.each(
        FUNCTIONS.filter((f) => f.trigger === 'http').map((f) =>
            f.trigger === 'http' ? f.options.route : '',
        ),
    )('documents the endpoint /api/%s', (route) => {
        expect(readme).toContain(`/api/${route}`);
    });
});
