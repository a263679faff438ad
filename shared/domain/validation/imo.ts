/**
 * IMO ship identification number (IMO Res. A.1117(30)): seven digits, the last a check digit. Multiply the
 * first six digits by 7, 6, 5, 4, 3, 2; the last digit of the sum is the check digit.
 * @example isValidImo(9134270) // true: 9*7 + 1*6 + 3*5 + 4*4 + 2*3 + 7*2 = 120, check digit 0
 */
export function isValidImo(imo: number): boolean {
    if (!Number.isInteger(imo) || imo < 1_000_000 || imo > 9_999_999) return false;
    let rest = Math.floor(imo / 10);
    let sum = 0;
    for (let weight = 2; weight <= 7; weight++) {
        sum += (rest % 10) * weight;
        rest = Math.floor(rest / 10);
    }
    return sum % 10 === imo % 10;
}
