/**
 * The renderer's entry point, bundled by build.ts into ui.js. The shell provides `window.kiosk`
 * before this runs (Electron's preload, or the script the Chromium host puts ahead of ours); if it
 * is late, we wait, and after a few seconds tell the patient to ask staff while still waiting.
 */
import { App } from './app.ts';
import { browser } from './browser.ts';
import { createTranslator } from './i18n.ts';
import './styles.css';

/** Recorded voice files the build found (`<lang>/<screen>`); replaced by esbuild. */
declare const KIOSK_RECORDED_VOICES: string[] | undefined;

const BRIDGE_POLL_MS = 100;
const BRIDGE_PATIENCE_MS = 5000;

function boot(): void {
  const root = browser.document.getElementById('app') ?? browser.document.body;
  const voices = typeof KIOSK_RECORDED_VOICES === 'undefined' ? [] : KIOSK_RECORDED_VOICES;
  const started = Date.now();
  let warned = false;
  const attempt = () => {
    const bridge = browser.kiosk;
    if (bridge) {
      new App(bridge, root, voices).start();
      return;
    }
    if (!warned && Date.now() - started > BRIDGE_PATIENCE_MS) {
      warned = true;
      const notice = browser.document.createElement('h1');
      notice.className = 'heading';
      notice.textContent = createTranslator().t('app.noBridge');
      root.replaceChildren(notice);
      root.dataset.screen = 'no-bridge';
    }
    browser.setTimeout(attempt, BRIDGE_POLL_MS);
  };
  attempt();
}

boot();
