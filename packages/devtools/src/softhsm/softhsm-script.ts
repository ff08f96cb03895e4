/**
 * A SoftHSM2 token made by scripts/softhsm-token.sh (development, demo and tests; a field kiosk
 * has a TPM or HSM). The script prints KEY=value lines that point the kiosk at the token.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOFTHSM_SCRIPT = fileURLToPath(new URL('../../scripts/softhsm-token.sh', import.meta.url));

function parseEnvLines(lines: string): Record<string, string> {
  return Object.fromEntries(
    lines
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Creates the token in `dir` (or reads back the one already there) and returns its env lines. */
export function softhsmToken(dir: string, label: string, pin: string): Record<string, string> {
  const command = existsSync(join(dir, 'softhsm2.conf')) ? ['env', dir] : ['create', dir, label, pin];
  return parseEnvLines(execFileSync('bash', [SOFTHSM_SCRIPT, ...command], { encoding: 'utf8' }));
}

export function deleteSoftHsmToken(dir: string): void {
  execFileSync('bash', [SOFTHSM_SCRIPT, 'delete', dir]);
}
