import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import { ResultsError } from '@myna/protocol/oqs/results-error.js';
import { writeFileAtomic } from '../common/node/write-file-atomic.ts';

export const MIN_TOKEN_LENGTH = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9._~+/=-]+$/;

export type ApiTokenErrorCode = 'token-too-short' | 'token-malformed' | 'token-file-unusable';

/** The local API cannot be given a usable token; the message says what to change. */
export class ApiTokenError extends ResultsError<ApiTokenErrorCode> {}

export interface ApiTokenSource {
  /** The token from the kiosk's configuration. */
  token?: string;
  /**
   * Where a generated token lives (mode 0600), for reception systems on this machine to read. A token
   * already there is kept across restarts, so they need not re-read it each time the kiosk starts.
   */
  tokenFile?: string;
}

/**
 * The bearer token the local API accepts: the configured one, or the one in tokenFile, or a new
 * random one written there. Without either option a new token lives only in this process (tests).
 */
export async function resolveApiToken(source: ApiTokenSource): Promise<string> {
  if (source.token !== undefined) return checkToken(source.token, 'the configured local API token');
  if (source.tokenFile === undefined) return newToken();
  const existing = await readTokenFile(source.tokenFile);
  if (existing !== undefined) return existing;
  const token = newToken();
  try {
    await writeFileAtomic(source.tokenFile, Buffer.from(`${token}\n`), 0o600);
    // The umask can only take bits away, but a file that existed empty keeps its old mode.
    await chmod(source.tokenFile, 0o600);
  } catch (error) {
    throw new ApiTokenError(
      'token-file-unusable',
      `cannot write the local API token to ${source.tokenFile} (${(error as NodeJS.ErrnoException).code}): make its folder writable for the kiosk's user, or set the token in the configuration`,
      { cause: error },
    );
  }
  return token;
}

async function readTokenFile(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ApiTokenError(
      'token-file-unusable',
      `cannot read the local API token file ${file} (${(error as NodeJS.ErrnoException).code})`,
      { cause: error },
    );
  }
  const token = text.trim();
  if (token === '') return undefined;
  // Someone loosened it (a copy, an editor): it guards personal data, so it is tightened again.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  return checkToken(token, `the token in ${file}`);
}

function checkToken(token: string, what: string): string {
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ApiTokenError(
      'token-too-short',
      `${what} has ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} random ones (or leave it unset to have one generated)`,
    );
  }
  if (!TOKEN_SHAPE.test(token)) {
    throw new ApiTokenError(
      'token-malformed',
      `${what} may only hold letters, digits and - . _ ~ + / = (it travels in an HTTP header)`,
    );
  }
  return token;
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares in time that does not depend on where the two differ. Hashing first gives both sides one
 * length, so the length of the real token does not leak either.
 */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
