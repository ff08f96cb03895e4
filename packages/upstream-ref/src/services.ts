import type { UpstreamRepository } from './store/upstream-repository.ts';
import type { Trust } from './verify/trust.ts';

/** What every route needs; one object, built once per server. */
export interface UpstreamServices {
  readonly repo: UpstreamRepository;
  readonly trust: Trust;
  /** The clock: injectable so tests can expire nonces and consents without waiting. */
  readonly now: () => Date;
  readonly nonceTtlMs: number;
  readonly consentValidityMs: number;
}

/** Per-endpoint body limits, in bytes: a JWS carries at most two certificates. */
export const BODY_LIMITS = {
  small: 4 * 1024,
  consents: 16 * 1024,
  signed: 96 * 1024,
} as const;
