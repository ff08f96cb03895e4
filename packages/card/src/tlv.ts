import { MalformedDataError } from './errors.ts';

/**
 * BER-TLV as the My Number card uses it (DER certificates are a subset). Every length is checked
 * against the buffer before it is used: a malformed input gets a MalformedDataError, never a read
 * past the end.
 */
export interface Tlv {
  tag: number;
  /** Offset of the tag's first byte in the buffer that was parsed. */
  offset: number;
  headerLength: number;
  length: number;
  value: Uint8Array;
  /** Offset just after the value. */
  end: number;
}

/** Longest tag the card uses is two bytes (DFxx, FFxx); three bytes leaves room and bounds the loop. */
const MAX_TAG_BYTES = 3;
/** 83 LL LL LL is the largest length form that fits a card file (files are below 64 KiB). */
const MAX_LENGTH_BYTES = 3;

export interface TlvHeader {
  tag: number;
  headerLength: number;
  length: number;
}

/** Tag and length of the TLV at `offset`; checks that the header, not the value, fits the buffer. */
export function readTlvHeader(buf: Uint8Array, offset = 0): TlvHeader {
  if (offset < 0 || offset >= buf.length) {
    throw new MalformedDataError(`TLV expected at offset ${offset}, buffer has ${buf.length} bytes`);
  }
  let pos = offset;
  const first = buf[pos++]!;
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    let more = true;
    let count = 1;
    while (more) {
      if (pos >= buf.length) throw new MalformedDataError(`tag at offset ${offset} runs past the end`);
      if (count >= MAX_TAG_BYTES) throw new MalformedDataError(`tag at offset ${offset} is too long`);
      const b = buf[pos++]!;
      tag = tag * 256 + b;
      more = (b & 0x80) !== 0;
      count++;
    }
  }
  if (pos >= buf.length) throw new MalformedDataError(`tag ${tagHex(tag)} has no length`);
  const lenByte = buf[pos++]!;
  let length = lenByte;
  if (lenByte === 0x80) {
    throw new MalformedDataError(`tag ${tagHex(tag)} uses an indefinite length`);
  }
  if (lenByte > 0x80) {
    const n = lenByte & 0x7f;
    if (n > MAX_LENGTH_BYTES) throw new MalformedDataError(`tag ${tagHex(tag)} length field is too long`);
    if (pos + n > buf.length) throw new MalformedDataError(`tag ${tagHex(tag)} length runs past the end`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos++]!;
  }
  return { tag, headerLength: pos - offset, length };
}

export function readTlv(buf: Uint8Array, offset = 0): Tlv {
  const { tag, headerLength, length } = readTlvHeader(buf, offset);
  const start = offset + headerLength;
  const end = start + length;
  if (end > buf.length) {
    throw new MalformedDataError(
      `tag ${tagHex(tag)} at offset ${offset} claims ${length} bytes, only ${buf.length - start} remain`,
    );
  }
  return { tag, offset, headerLength, length, value: buf.subarray(start, end), end };
}

/** Parses consecutive TLVs filling `buf` exactly. */
export function readTlvList(buf: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const tlv = readTlv(buf, pos);
    out.push(tlv);
    pos = tlv.end;
  }
  return out;
}

/**
 * The TLV that opens a card file. Files carry FF filler after their TLV; the filler is dropped, and
 * the expected outer tag is checked.
 */
export function readFileTlv(file: Uint8Array, expectedTag: number): Tlv {
  const tlv = readTlv(file, 0);
  if (tlv.tag !== expectedTag) {
    throw new MalformedDataError(`expected tag ${tagHex(expectedTag)}, found ${tagHex(tlv.tag)}`);
  }
  return tlv;
}

/** Children of a constructed value, by tag; a tag that occurs twice is malformed. */
export function childrenByTag(value: Uint8Array): Map<number, Tlv> {
  const map = new Map<number, Tlv>();
  for (const tlv of readTlvList(value)) {
    if (map.has(tlv.tag)) throw new MalformedDataError(`tag ${tagHex(tlv.tag)} occurs twice`);
    map.set(tlv.tag, tlv);
  }
  return map;
}

export function requireChild(children: Map<number, Tlv>, tag: number, what: string): Uint8Array {
  const tlv = children.get(tag);
  if (!tlv) throw new MalformedDataError(`${what} (tag ${tagHex(tag)}) is missing`);
  return tlv.value;
}

/**
 * How many bytes the TLV at the start of `head` spans in total, or undefined when `head` does not
 * hold a whole header. Lets a reader fetch exactly a file's content and not its filler.
 */
export function tlvTotalLength(head: Uint8Array): number | undefined {
  try {
    const { headerLength, length } = readTlvHeader(head, 0);
    return headerLength + length;
  } catch {
    return undefined;
  }
}

export function tagHex(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(2, '0');
}
