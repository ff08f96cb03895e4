/**
 * Builds the renderer for a shell to load: index.html, ui.js (one bundle, i18next included) and
 * ui.css, plus any recorded voice files, into one folder. Runs in Node (a shell at start-up, the
 * preview command, the tests), takes well under a second, and never writes outside `outDir`.
 */
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
/** Recorded guidance, if a clinic ships some: assets/sounds/voice/<lang>/<screen>.wav. */
const VOICE_DIR = join(REPO, 'assets/sounds/voice');

/** Where shells and the preview look by default (gitignored). */
export const DEFAULT_UI_DIR = join(REPO, 'var/ui');

export interface BuiltUi {
  dir: string;
  /** index.html: what a shell loads (file://, app://, or the Chromium host's http://). */
  index: string;
  /** `<lang>/<screen>` of the recorded voice files included. */
  recordedVoices: string[];
}

export interface BuildUiOptions {
  /** Readable output for debugging; the default is minified. */
  minify?: boolean;
}

export async function buildUi(
  outDir: string = DEFAULT_UI_DIR,
  options: BuildUiOptions = {},
): Promise<BuiltUi> {
  const { build } = await import('esbuild');
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const recordedVoices = await listRecordedVoices();
  await build({
    entryPoints: { ui: join(HERE, 'main.ts') },
    bundle: true,
    outdir: dir,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: options.minify ?? true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { KIOSK_RECORDED_VOICES: JSON.stringify(recordedVoices) },
  });
  await copyFile(join(HERE, 'index.html'), join(dir, 'index.html'));
  await rm(join(dir, 'sounds'), { recursive: true, force: true });
  for (const voice of recordedVoices) {
    const target = join(dir, 'sounds/voice', `${voice}.wav`);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(VOICE_DIR, `${voice}.wav`), target);
  }
  return { dir, index: join(dir, 'index.html'), recordedVoices };
}

async function listRecordedVoices(): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(VOICE_DIR, { recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^[a-z]{2}[\\/][a-z-]+\.wav$/.test(entry))
    .map((entry) =>
      relative('.', entry)
        .replace(/\\/g, '/')
        .replace(/\.wav$/, ''),
    )
    .sort();
}
