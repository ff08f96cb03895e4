import { describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumMissing } from '../../../src/shell/chromium/chromium-launcher.ts';

const base = { url: 'http://127.0.0.1:4123/#token=abc', userDataDir: '/tmp/kiosk-chromium-x' };

describe('Chromium command line', () => {
  it('runs the app URL in kiosk mode on a throw-away profile', () => {
    const args = chromiumArgs({ ...base, demo: false });
    expect(args).toEqual(
      expect.arrayContaining([
        '--kiosk',
        `--app=${base.url}`,
        `--user-data-dir=${base.userDataDir}`,
        '--no-first-run',
        '--disable-translate',
        '--autoplay-policy=no-user-gesture-required',
      ]),
    );
    // Outside the demo nothing answers the camera prompt for the clinic, and no fake camera exists.
    expect(args.join(' ')).not.toMatch(/fake|no-sandbox/);
  });

  it('accepts the camera prompt in the demo, and plays a file as the camera only there', () => {
    expect(chromiumArgs({ ...base, demo: true })).toContain('--use-fake-ui-for-media-stream');
    expect(chromiumArgs({ ...base, demo: true }).join(' ')).not.toContain('fake-device');
    const withFile = chromiumArgs({ ...base, demo: true, cameraFile: '/data/face.y4m' });
    expect(withFile).toEqual(
      expect.arrayContaining([
        '--use-fake-device-for-media-stream',
        '--use-file-for-fake-video-capture=/data/face.y4m',
      ]),
    );
    expect(() => chromiumArgs({ ...base, demo: false, cameraFile: '/data/face.y4m' })).toThrow(
      /only in the demo/,
    );
  });

  it('says how to install Chromium when it is missing', () => {
    expect(chromiumMissing('/nonexistent/chromium')).toMatch(
      /^Chromium cannot be run from \/nonexistent\/chromium: install Debian's with `apt-get install chromium`/,
    );
    expect(chromiumMissing('/bin/sh')).toBeNull();
  });
});
