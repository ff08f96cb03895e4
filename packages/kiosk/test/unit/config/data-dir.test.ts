import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kioskDataDir } from '../../../src/common/node/data-dir.ts';

describe("the kiosk's data folder", () => {
  it('is $KIOSK_DATA_DIR when set, on every platform', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const)
      expect(kioskDataDir({ KIOSK_DATA_DIR: '/srv/kiosk' }, platform)).toBe('/srv/kiosk');
  });

  it("is the platform's place for a service's state otherwise, never the code's folder", () => {
    expect(kioskDataDir({ PROGRAMDATA: 'D:\\Data' }, 'win32')).toBe(join('D:\\Data', 'myna-kiosk'));
    expect(kioskDataDir({}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'myna-kiosk'));
    const linux = kioskDataDir({ XDG_STATE_HOME: '/home/clinic/.state' }, 'linux');
    expect(linux).toBe(process.getuid?.() === 0 ? '/var/lib/myna-kiosk' : '/home/clinic/.state/myna-kiosk');
  });
});
