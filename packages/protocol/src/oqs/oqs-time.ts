/** OQS stamps its messages in Japan time (UTC+9, no daylight saving), as digits only. */
const JAPAN_OFFSET_MS = 9 * 3_600_000;

/** YYYYMMDDHHMMSS in Japan time. */
export function japanTimestamp(at: Date): string {
  return new Date(at.getTime() + JAPAN_OFFSET_MS).toISOString().replace(/\D/g, '').slice(0, 14);
}

/** YYYY-MM-DD in Japan time: the day a visit at a Japanese counter belongs to. */
export function japanIsoDate(at: Date): string {
  return new Date(at.getTime() + JAPAN_OFFSET_MS).toISOString().slice(0, 10);
}

/** YYYYMMDD in Japan time. */
export function japanDate(at: Date): string {
  return japanTimestamp(at).slice(0, 8);
}

/** YYYY-MM-DD → YYYYMMDD. */
export function compactDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}
