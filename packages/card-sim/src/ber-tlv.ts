/** BER-TLV encoding as the card stores its files: 1- or 2-byte tags, short / 81 / 82 lengths. */

export function berLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  if (length <= 0xff) return Uint8Array.of(0x81, length);
  if (length <= 0xffff) return Uint8Array.of(0x82, length >> 8, length & 0xff);
  throw new RangeError(`TLV value of ${length} bytes does not fit a 82-form length`);
}

export function tagBytes(tag: number): Uint8Array {
  return tag > 0xff ? Uint8Array.of(tag >> 8, tag & 0xff) : Uint8Array.of(tag);
}

export function tlv(tag: number, ...values: Uint8Array[]): Uint8Array {
  const value = Buffer.concat(values);
  return Buffer.concat([tagBytes(tag), berLength(value.length), value]);
}

export function u16(value: number): Uint8Array {
  return Uint8Array.of(value >> 8, value & 0xff);
}

export const ascii = (s: string): Uint8Array => Buffer.from(s, 'latin1');
export const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/**
 * `TAG LEN { OFFSETS-TAG LEN u16… , item… }`: the basic-four and card-face layout, whose first
 * object lists the absolute offset (from the start of the file) of each following item's tag.
 */
export function indexedRecord(tag: number, offsetsTag: number, items: readonly Uint8Array[]): Uint8Array {
  const offsetsLength = tlv(offsetsTag, new Uint8Array(items.length * 2)).length;
  const bodyLength = offsetsLength + items.reduce((n, item) => n + item.length, 0);
  let at = tagBytes(tag).length + berLength(bodyLength).length + offsetsLength;
  const offsets = items.map((item) => {
    const offset = u16(at);
    at += item.length;
    return offset;
  });
  return tlv(tag, tlv(offsetsTag, ...offsets), ...items);
}
