/** A tiny, independent BER-TLV reader so the sim tests do not trust the code they check. */
export interface Tlv {
  tag: number;
  /** Offset of the tag in the buffer. */
  at: number;
  header: number;
  value: Buffer;
  /** Tag, length and value bytes. */
  raw: Buffer;
}

export function readTlv(buf: Buffer, at: number): Tlv {
  let p = at;
  let tag = buf[p++]!;
  if ((tag & 0x1f) === 0x1f) tag = (tag << 8) | buf[p++]!;
  let length = buf[p++]!;
  if (length === 0x81) length = buf[p++]!;
  else if (length === 0x82) {
    length = buf.readUInt16BE(p);
    p += 2;
  }
  return { tag, at, header: p - at, value: buf.subarray(p, p + length), raw: buf.subarray(at, p + length) };
}

export function children(parent: Tlv, buf: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.at + parent.header; p < parent.at + parent.raw.length; ) {
    const child = readTlv(buf, p);
    out.push(child);
    p += child.raw.length;
  }
  return out;
}
