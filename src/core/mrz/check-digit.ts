/**
 * ICAO 9303 part 3 §4.9: the check digit of a field is the sum of its character values weighted 7, 3, 1
 * (repeating), modulo 10. Digits are worth their value, A–Z 10–35, and the filler `<` 0.
 */

/** The characters a machine-readable zone may contain. */
export const MRZ_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<';

const WEIGHTS = [7, 3, 1] as const;

/** The value of one zone character, or -1 for a character the zone may not contain. */
export function charValue(char: string): number {
  const code = char.charCodeAt(0);
  if (char.length !== 1) return -1;
  if (code >= 48 && code <= 57) return code - 48; // 0–9
  if (code >= 65 && code <= 90) return code - 55; // A–Z
  if (char === '<') return 0;
  return -1;
}

/** True when every character of `text` belongs to the zone's alphabet. */
export function isMrzText(text: string): boolean {
  for (const char of text) if (charValue(char) < 0) return false;
  return true;
}

/** The check digit (0–9) of `field`, or null when the field holds a character outside the alphabet. */
export function checkDigit(field: string): number | null {
  let sum = 0;
  let index = 0;
  for (const char of field) {
    const value = charValue(char);
    if (value < 0) return null;
    sum += value * WEIGHTS[index % 3]!;
    index += 1;
  }
  return sum % 10;
}
