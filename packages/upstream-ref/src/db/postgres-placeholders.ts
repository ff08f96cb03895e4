/**
 * Queries are written with `?`; PostgreSQL numbers its parameters. The rewrite leaves `?` inside
 * quoted strings and identifiers alone so that a literal question mark in SQL text is never bound.
 */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let index = 0;
  let quote: "'" | '"' | undefined;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      index += 1;
      out += `$${index}`;
    } else {
      out += ch;
    }
  }
  return out;
}
