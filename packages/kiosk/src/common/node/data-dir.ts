/**
 * Where the kiosk keeps what it writes (database, results, the built screens) when the config names
 * no path: `$KIOSK_DATA_DIR`, else the platform's place for a service's state. Never a path derived
 * from where the code is installed: a packaged kiosk's code is read-only and replaced on update.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

const NAME = 'myna-kiosk';

export function kioskDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.KIOSK_DATA_DIR) return env.KIOSK_DATA_DIR;
  if (platform === 'win32') return join(env.PROGRAMDATA || 'C:\\ProgramData', NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', NAME);
  // A kiosk service running as root (systemd) keeps its state with the system's; a user's under XDG.
  if (process.getuid?.() === 0) return join('/var/lib', NAME);
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), NAME);
}
