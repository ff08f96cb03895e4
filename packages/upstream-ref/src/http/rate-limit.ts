/**
 * Requests per client certificate in fixed windows, counted synchronously in the request hook. A
 * general-purpose limiter plugin cost the upstream about as much CPU per request as Fastify itself
 * (asynchronous store, several awaits, headers); this one is a map lookup. Keys are certificate
 * fingerprints that TLS already admitted, so the map holds at most the clients of one window.
 */

export interface RateLimit {
  /** Requests per client certificate per window. */
  max: number;
  windowMs: number;
}

interface Window {
  count: number;
  endsAt: number;
}

/** Counts a request for `key`: undefined when it is allowed, else the seconds until it would be. */
export type RateLimiter = (key: string) => { retryAfterSeconds: number } | undefined;

export function rateLimiter(limit: RateLimit, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, Window>();
  let sweepAt = 0;
  return (key) => {
    const at = now();
    if (at >= sweepAt) {
      for (const [known, window] of windows) if (window.endsAt <= at) windows.delete(known);
      sweepAt = at + limit.windowMs;
    }
    let window = windows.get(key);
    if (!window || window.endsAt <= at) {
      window = { count: 0, endsAt: at + limit.windowMs };
      windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= limit.max) return undefined;
    return { retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - at) / 1000)) };
  };
}
