/**
 * The renderer's entry point, bundled into ui.js by `npm run build` (scripts/build.mjs). The shell provides `window.kiosk`
 * before this runs (Electron's preload, or the script the Chromium host puts ahead of ours); if it
 * is late, we wait, and after a few seconds tell the patient to ask staff while still waiting.
 */
import type { KioskBridge } from '../common/ui-protocol.ts';
import { App } from './app.ts';
import { createTranslator } from './i18n.ts';
import './styles.css';

/** Recorded voice files the build found (`<lang>/<screen>`); replaced by esbuild. */
declare const KIOSK_RECORDED_VOICES: string[] | undefined;

declare global {
  interface Window {
    /** Put there by the shell before this script runs (or soon after). */
    readonly kiosk?: KioskBridge;
  }
}

const BRIDGE_POLL_MS = 100;
const BRIDGE_PATIENCE_MS = 5000;

function boot(): void {
  const root = document.getElementById('app') ?? document.body;
  const voices = typeof KIOSK_RECORDED_VOICES === 'undefined' ? [] : KIOSK_RECORDED_VOICES;
  const started = Date.now();
  let warned = false;
  const attempt = () => {
    const bridge = window.kiosk;
    if (bridge) {
      new App(bridge, root, voices).start();
      return;
    }
    if (!warned && Date.now() - started > BRIDGE_PATIENCE_MS) {
      warned = true;
      const notice = document.createElement('h1');
      notice.className = 'heading';
      notice.textContent = createTranslator().t('app.noBridge');
      root.replaceChildren(notice);
      root.dataset.screen = 'no-bridge';
    }
    window.setTimeout(attempt, BRIDGE_POLL_MS);
  };
  attempt();
}

boot();
