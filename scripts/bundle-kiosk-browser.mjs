// The kiosk's code that runs outside Node, bundled by esbuild at build time into the kiosk's dist/:
// the patient screens (index.html, ui.js, ui.css, recorded voices) and one file per page script
// and for Electron's preload. The tables of what to bundle are the kiosk's own
// (src/shell/browser-scripts.ts, already compiled by tsc when this runs), so the files the kiosk
// reads at run time and the files made here cannot drift apart.
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const PAGE = { platform: 'browser', format: 'iife', target: 'chrome120' };
const PRELOAD = { platform: 'node', format: 'cjs', target: 'node20', external: ['electron'] };

/** `<lang>/<screen>` of the recorded guidance a clinic ships in assets/sounds/voice/<lang>/<screen>.wav. */
async function recordedVoices(voiceDir) {
  let entries;
  try {
    entries = await readdir(voiceDir, { recursive: true });
  } catch {
    return [];
  }
  return entries
    .map((entry) => entry.replace(/\\/g, '/'))
    .filter((entry) => /^[a-z]{2}\/[a-z-]+\.wav$/.test(entry))
    .map((entry) => entry.replace(/\.wav$/, ''))
    .sort();
}

export async function bundleKioskBrowser(kioskDir) {
  const { RENDERER, BROWSER_SCRIPTS, BROWSER_SCRIPTS_DIR } = await import(
    pathToFileURL(join(kioskDir, 'dist/shell/browser-scripts.js')).href
  );
  const common = { bundle: true, minify: true, legalComments: 'none', logLevel: 'warning' };

  const rendererDir = join(kioskDir, RENDERER.dir);
  await rm(rendererDir, { recursive: true, force: true });
  const voiceDir = join(kioskDir, 'assets/sounds/voice');
  const voices = await recordedVoices(voiceDir);
  await build({
    ...common,
    ...PAGE,
    entryPoints: { ui: join(kioskDir, RENDERER.entry) },
    outdir: rendererDir,
    define: { KIOSK_RECORDED_VOICES: JSON.stringify(voices) },
  });
  await copyFile(join(kioskDir, RENDERER.html), join(rendererDir, 'index.html'));
  for (const voice of voices) {
    const target = join(rendererDir, 'sounds/voice', `${voice}.wav`);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(voiceDir, `${voice}.wav`), target);
  }

  const scriptsDir = join(kioskDir, BROWSER_SCRIPTS_DIR);
  await rm(scriptsDir, { recursive: true, force: true });
  for (const script of Object.values(BROWSER_SCRIPTS)) {
    await build({
      ...common,
      ...(script.target === 'page' ? PAGE : PRELOAD),
      entryPoints: [join(kioskDir, script.entry)],
      outfile: join(scriptsDir, script.file),
    });
  }
}
