/**
 * Characters a result document must not carry. XML 1.0 has no way to write most C0 controls at all,
 * and a reader would rewrite CR and tabs inside a name; C1 controls and DEL are legal XML but only
 * ever appear in a name or address through a conversion bug upstream. Refusing them keeps what the
 * EMR reads identical to what the kiosk was given.
 */
export function isForbiddenInValue(codePoint: number): boolean {
  return codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f) || !isXmlChar(codePoint);
}

/** XML 1.0 `Char`: whitespace controls, the BMP outside surrogates and U+FFFE/U+FFFF, and the astral planes. */
export function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/**
 * The first code point `forbidden` matches, as `U+XXXX`, or null. Iterating by code point keeps a
 * surrogate pair (𠮷) or a variation selector (U+E0100) whole, and yields a lone surrogate on its own.
 */
export function firstForbidden(text: string, forbidden: (codePoint: number) => boolean): string | null {
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (forbidden(codePoint)) return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}
