import { describe, expect, it } from 'vitest';
import { compiledEntry, compiledExecArgv } from '../../../src/common/node/package-dir.ts';

describe('entries started in a new thread or process', () => {
  it('come from the build output when the caller runs from its sources', () => {
    const fromSource = compiledEntry('./face-worker.js', 'file:///opt/kiosk/src/face/worker/client.ts');
    expect(fromSource.href).toBe('file:///opt/kiosk/dist/face/worker/face-worker.js');
    const fromBuild = compiledEntry('./face-worker.js', 'file:///opt/kiosk/dist/face/worker/client.js');
    expect(fromBuild.href).toBe('file:///opt/kiosk/dist/face/worker/face-worker.js');
  });

  it('only the last src/ of the path is the sources', () => {
    const url = compiledEntry('./main.js', 'file:///home/src/kiosk/src/shell/electron/binary.ts');
    expect(url.href).toBe('file:///home/src/kiosk/dist/shell/electron/main.js');
  });

  it('run without the source export condition, keeping every other option', () => {
    expect(
      compiledExecArgv([
        '--conditions',
        'source',
        '--conditions',
        'node',
        '-C',
        'source',
        '--conditions=source',
        '--enable-source-maps',
      ]),
    ).toEqual(['--conditions', 'node', '--enable-source-maps']);
  });
});
