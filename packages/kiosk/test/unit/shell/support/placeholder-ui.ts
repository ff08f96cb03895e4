/**
 * A stand-in for the renderer's build (src/ui) in the shell tests: one page whose module script
 * draws every view it is told and offers buttons that send patient commands through window.kiosk,
 * which is all a shell has to carry.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INDEX = `<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><title>placeholder kiosk</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; connect-src 'self'">
<script type="module" src="/app.js"></script></head>
<body>
<p id="screen">none</p>
<p id="vendor">none</p>
<button id="choose-pin" type="button">暗証番号</button>
<button id="digit" type="button">1</button>
</body>
</html>
`;

const APP = `
const kiosk = window.kiosk;
window.received = [];
kiosk.onMessage((message) => {
  window.received.push(message);
  if (message.type === 'view') document.getElementById('screen').textContent = message.view.screen;
  if (message.type === 'profile') document.getElementById('vendor').textContent = message.profile.vendor;
});
document.getElementById('choose-pin').addEventListener('click', () =>
  kiosk.send({ type: 'patient', command: { type: 'CHOOSE_PIN' } }));
document.getElementById('digit').addEventListener('click', () =>
  kiosk.send({ type: 'patient', command: { type: 'PIN_DIGIT', digit: 1 } }));
kiosk.send({ type: 'ready' });
`;

/** Loaded on demand by the policy test: eval must be refused by the page's own policy. */
const CSP_PROBE = `
window.cspProbe = (() => {
  try {
    eval('1 + 1');
    return 'eval ran';
  } catch (error) {
    return error.name;
  }
})();
`;

/** What the placeholder page puts on window, for the tests' page.evaluate calls. */
export interface PlaceholderWindow {
  kiosk: {
    send(message: unknown): void;
    sendFrame(jpeg: ArrayBuffer): void;
    sendCardFrame(request: number, jpeg: ArrayBuffer): void;
  };
  received: unknown[];
  cspProbe?: string;
  inlineRan?: boolean;
}

export interface PlaceholderUi {
  dir: string;
  remove(): Promise<void>;
}

export async function placeholderUi(): Promise<PlaceholderUi> {
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-ui-'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'app.js'), APP);
  await writeFile(join(dir, 'csp-probe.js'), CSP_PROBE);
  await writeFile(join(dir, '.secret'), 'must not be served');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
