import { describe, expect, it } from '@jest/globals';

import {
    destinationMatches,
    reportedVoyage,
    resolveEta,
} from '../../../../shared/domain/gold/reportedVoyage.js';

const t = (iso: string) => Date.parse(iso);
const RTM = { locode: 'NLRTM', name: 'Rotterdam' };

describe('resolveEta', () => {
    it.each([
        ['03-15T14:30Z', '2026-03-14T08:00:00Z', '2026-03-15T14:30:00Z'],
        ['01-02T06:00Z', '2026-12-30T12:00:00Z', '2027-01-02T06:00:00Z'],
        ['12-31T23:00Z', '2027-01-01T02:00:00Z', '2026-12-31T23:00:00Z'],
        ['02-29T00:00Z', '2028-02-20T00:00:00Z', '2028-02-29T00:00:00Z'],
    ])('%s reported at %s is %s', (eta, at, expected) => {
        expect(resolveEta(eta, t(at))).toBe(t(expected));
    });

    it.each([
        ['02-30T00:00Z'],
        ['13-01T00:00Z'],
        ['00-10T00:00Z'],
        ['05-10T24:00Z'],
        ['05-10T10:60Z'],
        ['5-10 10:00'],
        [''],
        [null],
    ])('is null for %s', (eta) => {
        expect(resolveEta(eta, t('2026-05-01T00:00:00Z'))).toBeNull();
    });
});

describe('destinationMatches', () => {
    it.each([
        ['NLRTM', true],
        ['NL RTM', true],
        ['rotterdam', true],
        ['EUROPOORT ROTTERDAM', true],
        ['DEHAM>NLRTM', true],
        ['DEHAM', false],
        ['  ', null],
        [null, null],
    ])('%s -> %s', (destination, expected) => {
        expect(destinationMatches(destination, RTM)).toBe(expected);
    });
});

describe('reportedVoyage', () => {
    it('gives the ETA error in hours, positive when the vessel arrived later than it reported', () => {
        // Arrange: ETA 03-15 12:00 reported on 03-14 20:00; arrived 03-15 15:30.
        const report = { destination: 'NL RTM', eta: '03-15T12:00Z', reportedAt: t('2026-03-14T20:00:00Z') };
        // Act
        const r = reportedVoyage(t('2026-03-15T15:30:00Z'), RTM, report);
        // Assert
        expect(r).toEqual({
            reported_destination: 'NL RTM',
            destination_match: true,
            reported_eta: t('2026-03-15T12:00:00Z'),
            eta_reported_at: t('2026-03-14T20:00:00Z'),
            eta_error_hours: 3.5,
        });
    });

    it('is all null without a report, and has no ETA error for an unusable ETA', () => {
        expect(Object.values(reportedVoyage(0, RTM, undefined)).every((v) => v === null)).toBe(true);
        expect(reportedVoyage(0, RTM, { destination: 'DEHAM', eta: null, reportedAt: 0 })).toMatchObject({
            destination_match: false,
            eta_error_hours: null,
        });
    });
});
