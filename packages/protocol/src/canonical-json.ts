/**
 * JSON with object keys sorted at every level: one encoding per value, so a hash over it is the same
 * whatever order the members were written in. The kiosk's audit chain hashes it and the upstream
 * keys its idempotent answers by it.
 *
 * It encodes the value that JSON itself would carry: members that are undefined (or functions or
 * symbols) are left out, such items of an array are null, and `toJSON` is honoured, so a value hashes
 * the same before and after a trip through JSON (the audit log stores its data as JSON and verifies
 * the chain from what it reads back). Hand-written rather than taken from a library on purpose: old
 * audit records must verify for years, so this encoding may never change with a dependency update.
 */
export function canonicalJson(value: unknown): string {
  return encode(value) ?? 'null';
}

/** undefined where JSON has no encoding for the value. */
function encode(value: unknown): string | undefined {
  const json = hasToJson(value) ? value.toJSON() : value;
  if (json === null || typeof json !== 'object') return JSON.stringify(json);
  if (Array.isArray(json)) return `[${json.map((item) => encode(item) ?? 'null').join(',')}]`;
  const record = json as Record<string, unknown>;
  // Default sort order is by UTF-16 code units, the order RFC 8785 prescribes for member names.
  const members = Object.keys(record)
    .sort()
    .flatMap((key) => {
      const encoded = encode(record[key]);
      return encoded === undefined ? [] : [`${JSON.stringify(key)}:${encoded}`];
    });
  return `{${members.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}
