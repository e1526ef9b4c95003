// The bytes of JSON the snapshot tokenizer acts on, and the byte-pair table its numbers
// loop reads two bytes at a time through (one Uint16 load instead of two byte tests).
export const QUOTE = 34;
export const BACKSLASH = 92;
export const COMMA = 44;
export const COLON = 58;
export const OPEN_BRACKET = 91;
export const CLOSE_BRACKET = 93;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;

export function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

// What a pair of bytes (read as one Uint16 in this machine's byte order) holds, for the
// numbers loop: digits and separators (comma, whitespace) in either order, or anything
// else (OTHER: the byte loop decides). PAIR_VALUE is the digits' value.
export const SEPARATOR_SEPARATOR = 0;
export const SEPARATOR_DIGIT = 1;
export const DIGIT_SEPARATOR = 2;
export const DIGIT_DIGIT = 3;
export const OTHER = 4;
export const PAIR_KIND = new Uint8Array(65536).fill(OTHER);
export const PAIR_VALUE = new Uint8Array(65536);
{
  const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
  const isDigit = (c: number): boolean => c >= 48 && c <= 57;
  const isSeparator = (c: number): boolean => c === COMMA || isSpace(c);
  for (let first = 0; first < 256; first++) {
    for (let second = 0; second < 256; second++) {
      if (!(isDigit(first) || isSeparator(first)) || !(isDigit(second) || isSeparator(second))) continue;
      const p = littleEndian ? first | (second << 8) : (first << 8) | second;
      PAIR_KIND[p] = (isDigit(first) ? 2 : 0) + (isDigit(second) ? 1 : 0);
      PAIR_VALUE[p] =
        isDigit(first) && isDigit(second)
          ? (first - 48) * 10 + (second - 48)
          : isDigit(first)
            ? first - 48
            : isDigit(second)
              ? second - 48
              : 0;
    }
  }
}
