/**
 * The kiosk a patient sees, for the end-to-end tests: the reference upstream on loopback (with the
 * demo's SoftHSM2 device key enrolled), the composition root (startKiosk) over a card on the
 * e2e reader, the Chromium shell's host (startKioskHost) serving the built renderer, and Debian's
 * Chromium under playwright-core opening the host's app URL with the flags the shell itself
 * launches Chromium with, the camera being Chromium's fake device playing a Y4M clip.
 *
 * PatientScreen plays the patient: it waits for a screen to be up and past its double-tap guard,
 * taps what a patient would tap, and on every screen it reaches runs axe-core (no serious or
 * critical finding) and keeps a screenshot under var/e2e-artifacts/flows/<scenario>/.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { MainMessage, Screen, ViewState } from '@myna/kiosk/common/ui-protocol.js';
import { defaultKioskConfig, type KioskConfig } from '@myna/kiosk/config/kiosk-config.js';
import type { KioskServices } from '@myna/kiosk/kiosk/kiosk-services.js';
import { type StartKioskOptions, startKiosk } from '@myna/kiosk/kiosk/start-kiosk.js';
import type { FlowConfig } from '@myna/kiosk/reception/flow-types.js';
import type { Attestor, FaceCheck } from '@myna/kiosk/reception/ports.js';
import { builtRenderer } from '@myna/kiosk/shell/browser-scripts.js';
import {
  chromiumArgs,
  chromiumMissing,
  DEBIAN_CHROMIUM,
} from '@myna/kiosk/shell/chromium/chromium-launcher.js';
import { type KioskHost, startKioskHost } from '@myna/kiosk/shell/chromium/kiosk-host.js';
import { type AuditRecord, exportAudit, type OutboxItem, openStore } from '@myna/kiosk/store/index.js';
import type { ClientCredentials } from '@myna/kiosk/upstream/client/index.js';
import type { RunningUpstream } from '@myna/upstream-ref/start-upstream.js';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startDemoUpstream } from '../demo/demo-upstream.ts';
import type { VirtualReader } from '../demo/virtual-reader.ts';
import { softhsmSkipReason } from './device-token.ts';

/** Screenshots of the flows and of every screen, kept after the run (var/ is not committed). */
export const ARTIFACTS = resolve(import.meta.dirname, '../../../../var/e2e-artifacts');

/** Why the end-to-end suite cannot run here (printed), or undefined. */
export function e2eSkipReason(): string | undefined {
  const reason = chromiumMissing(DEBIAN_CHROMIUM) ?? softhsmSkipReason() ?? undefined;
  if (reason) console.warn(`skipping the end-to-end kiosk tests: ${reason}`);
  return reason;
}

/** A temporary folder removed by `remove()`. */
export function scratchDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// --- Upstream -------------------------------------------------------------------------------------

export interface E2eUpstream {
  upstream: RunningUpstream;
  /** Its SQLite file, for a test to add a person of its own. */
  dbFile: string;
  credentials: ClientCredentials;
  attestor: Attestor;
  close(): Promise<void>;
}

/**
 * The reference upstream as the demo runs it (startDemoUpstream): SQLite in a folder of its own,
 * the kiosk's TLS client pair for `kioskId`, and a device key in a SoftHSM2 token enrolled with it.
 */
export async function startE2eUpstream(kioskId: string): Promise<E2eUpstream> {
  const scratch = scratchDir('kiosk-e2e-upstream-');
  const demo = await startDemoUpstream({
    varDir: scratch.dir,
    kioskId,
    warn: (line) => console.warn(`e2e upstream: ${line}`),
  });
  return {
    ...demo,
    dbFile: join(scratch.dir, 'upstream.db'),
    async close() {
      await demo.upstream.close();
      scratch.remove();
    },
  };
}

// --- Kiosk ----------------------------------------------------------------------------------------

/** A face check for kiosks whose scenarios never choose the face path: it fails, and the flow goes to the PIN. */
export const NO_CAMERA: FaceCheck = {
  check: () => Promise.reject(new Error('no camera in this scenario')),
};

export interface KioskUnderTestOptions {
  kioskId: string;
  vendor: string;
  /** The upstream's URL and the kiosk's credentials for it. */
  upstream: { url: string; credentials: ClientCredentials; attestor: Attestor };
  reader: VirtualReader;
  /**
   * A still of the card tray for the card camera (the kiosk config's `paths.cardCameraFile`, as a
   * field kiosk can be configured); without it the kiosk has no card camera and the face path
   * falls back to the PIN.
   */
  cardCameraFile?: string;
  flow?: Partial<FlowConfig>;
  /** The clinic's face-check settings (the camera check startKiosk builds from the config). */
  faceConfig?: Partial<KioskConfig['face']>;
  /** A face check other than the camera's. */
  face?: StartKioskOptions['face'];
  now?: () => Date;
  /** Wraps the services before the host carries them (what the shell hands over, as the kiosk gets it). */
  wrap?: (services: KioskServices) => KioskServices;
}

export interface KioskUnderTest {
  config: KioskConfig;
  services: KioskServices;
  host: KioskHost;
  /** Every view the kiosk sent, in order, as the renderer received them. */
  views: ViewState[];
  /** The audit log: every record, or those after the first `since`, of one kind. */
  audit(filter?: { since?: number; kind?: string }): AuditRecord[];
  outbox(): OutboxItem[];
  /** The result documents in the result folder (file names). */
  results(): string[];
  close(): Promise<void>;
}

/** The kiosk's own built renderer (`npm run build`). */
export function e2eUiDir(): string {
  return builtRenderer();
}

export async function startKioskUnderTest(options: KioskUnderTestOptions): Promise<KioskUnderTest> {
  const scratch = scratchDir('kiosk-e2e-');
  const defaults = defaultKioskConfig();
  const config: KioskConfig = {
    ...defaults,
    vendor: options.vendor,
    kioskId: options.kioskId,
    flow: { ...defaults.flow, ...options.flow },
    face: { ...defaults.face, ...options.faceConfig },
    paths: {
      db: join(scratch.dir, 'kiosk.db'),
      results: join(scratch.dir, 'results'),
      ...(options.cardCameraFile ? { cardCameraFile: options.cardCameraFile } : {}),
    },
  };
  mkdirSync(config.paths.results, { recursive: true });
  const kiosk = await startKiosk({
    config,
    parts: { ...options.upstream, card: (cardFront) => options.reader.source(cardFront) },
    ...(options.face ? { face: options.face } : {}),
    ...(options.now ? { now: options.now } : {}),
    resultsApiPort: 0,
    warn: (line) => console.warn(`e2e kiosk: ${line}`),
  });
  const services = options.wrap ? options.wrap(kiosk) : kiosk;
  const views: ViewState[] = [];
  services.onMessage((message: MainMessage) => {
    if (message.type === 'view') views.push(message.view);
  });
  let host: KioskHost;
  try {
    host = await startKioskHost({ services, uiDir: await e2eUiDir() });
  } catch (error) {
    await kiosk.close();
    throw error;
  }
  const withStore = <T>(read: (store: ReturnType<typeof openStore>) => T): T => {
    const store = openStore(config.paths.db, { mustExist: true });
    try {
      return read(store);
    } finally {
      store.close();
    }
  };
  return {
    config,
    services,
    host,
    views,
    audit: ({ since = 0, kind }: { since?: number; kind?: string } = {}) =>
      withStore((store) => exportAudit(store))
        .slice(since)
        .filter((r) => kind === undefined || r.kind === kind),
    outbox: () =>
      withStore((store) =>
        (
          store.db.prepare('SELECT id, kind, payload, state FROM outbox ORDER BY id').all() as {
            id: number;
            kind: string;
            payload: string;
            state: OutboxItem['state'];
          }[]
        ).map((row) => ({ ...row, payload: JSON.parse(row.payload) }) as OutboxItem),
      ),
    results: () => readdirSync(config.paths.results).filter((f) => f.endsWith('.xml')),
    async close() {
      await host.close();
      await kiosk.close();
      scratch.remove();
    },
  };
}

// --- The patient's screen -------------------------------------------------------------------------

// The page's globals, for the functions page.evaluate runs there (the project compiles without the DOM library).
declare const document: {
  querySelector(selector: string): { setAttribute(name: string, value: string): void } | null;
};

export interface PatientScreenOptions {
  /** A Y4M clip for Chromium's fake camera; without one the fake device shows its test pattern. */
  camera?: string;
  /** Screenshots go to var/e2e-artifacts/flows/<scenario>/. */
  scenario: string;
  /** What axe has already checked in this file (screens are checked once per distinct content). */
  checked: Set<string>;
}

export class PatientScreen {
  private shots = 0;
  readonly axeFindings: string[] = [];

  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    private readonly options: PatientScreenOptions,
  ) {}

  /** Chromium with the shell's own flags opens the kiosk's app URL at the vendor's screen size. */
  static async open(kiosk: KioskUnderTest, options: PatientScreenOptions): Promise<PatientScreen> {
    const shellArgs = chromiumArgs({
      url: kiosk.host.appUrl!,
      userDataDir: '',
      demo: true,
      ...(options.camera ? { cameraFile: options.camera } : {}),
      noSandbox: process.getuid?.() === 0,
    });
    // Playwright opens the page itself, headless, on a profile of its own.
    const args = shellArgs.filter((a) => !/^--(kiosk|app=|user-data-dir=)/.test(a));
    if (!options.camera) args.push('--use-fake-device-for-media-stream');
    const browser = await chromium.launch({ executablePath: DEBIAN_CHROMIUM, args });
    try {
      const { width, height } = kiosk.services.profile.screen;
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await page.goto(kiosk.host.appUrl!);
      // This run's screenshots only.
      const shots = join(ARTIFACTS, 'flows', options.scenario);
      rmSync(shots, { recursive: true, force: true });
      mkdirSync(shots, { recursive: true });
      return new PatientScreen(browser, page, options);
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  /**
   * Until `screen` is up and takes touches (past the renderer's double-tap guard), and is not the
   * screen that was there when `leaving()` was last called. Then axe and a screenshot.
   */
  async reach(screen: Screen, timeoutMs = 20_000): Promise<void> {
    try {
      await this.page.waitForFunction(
        (name) =>
          document.querySelector(
            `#app[data-screen="${name}"][data-settled="true"] #screen > section:not([data-e2e-left])`,
          ) !== null,
        screen,
        { polling: 20, timeout: timeoutMs },
      );
    } catch (error) {
      const now = await this.page.getAttribute('#app', 'data-screen').catch(() => '?');
      throw new Error(`the "${screen}" screen did not come within ${timeoutMs} ms (on screen: ${now})`, {
        cause: error,
      });
    }
    await this.inspect(screen);
  }

  /** Marks the screen now shown as left: the next reach() waits for a new one, even of the same name. */
  async leaving(): Promise<void> {
    await this.page.evaluate(() =>
      document.querySelector('#screen > section')?.setAttribute('data-e2e-left', ''),
    );
  }

  /** A touch that answers the screen (the flow moves on). */
  async answer(selector: string): Promise<void> {
    await this.leaving();
    await this.page.click(selector);
  }

  /** The PIN pad: each digit as the patient presses it, checked to show as one more ●, then OK. */
  async enterPin(pin: string): Promise<void> {
    for (const [i, digit] of [...pin].entries()) {
      await this.page.click(`#pin-key-${digit}`);
      await this.page.waitForSelector(`#pin-display[data-length="${i + 1}"]`, { timeout: 5_000 });
    }
  }

  async text(selector: string): Promise<string> {
    return (await this.page.textContent(selector)) ?? '';
  }

  /** The page's text and attribute values (images' data left out), with what `selector` matches removed. */
  markupWithout(selector: string): Promise<string> {
    return this.page.evaluate(
      `(() => {
        const app = document.querySelector('#app').cloneNode(true);
        for (const node of app.querySelectorAll(${JSON.stringify(selector)} + ', img')) node.remove();
        const attributes = [...app.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.value));
        return [app.textContent, ...attributes].join('\\n');
      })()`,
    );
  }

  attribute(selector: string, name: string): Promise<string | null> {
    return this.page.getAttribute(selector, name);
  }

  /** axe-core on the whole page and a screenshot, once per distinct screen content in the file. */
  private async inspect(screen: Screen): Promise<void> {
    this.shots += 1;
    await this.page.screenshot({
      path: join(
        ARTIFACTS,
        'flows',
        this.options.scenario,
        `${String(this.shots).padStart(2, '0')}-${screen}.png`,
      ),
      animations: 'disabled',
    });
    const key = `${screen}|${await this.page.textContent('#screen')}`;
    if (this.options.checked.has(key)) return;
    this.options.checked.add(key);
    // Legacy mode runs axe in the page itself: the page has no frames, and the default mode opens a
    // second page to finish every run.
    const axe = await new AxeBuilder({ page: this.page }).setLegacyMode().analyze();
    for (const v of axe.violations) {
      if (v.impact === 'serious' || v.impact === 'critical')
        this.axeFindings.push(
          `${screen}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** The patients of one test file: a screen for each scenario, axe-core run once per distinct screen. */
export class Patients {
  private readonly checked = new Set<string>();

  constructor(private readonly reader: VirtualReader) {}

  /** A new patient before `kiosk`'s idle screen (a card a failed scenario left is taken away first). */
  async arrive(kiosk: KioskUnderTest, scenario: string, camera?: string): Promise<PatientScreen> {
    await this.reader.take();
    const screen = await PatientScreen.open(kiosk, {
      scenario,
      checked: this.checked,
      ...(camera ? { camera } : {}),
    });
    await screen.reach('idle');
    return screen;
  }

  /** The patient takes the card away, and the kiosk is back on the idle screen. */
  async takeCard(screen: PatientScreen): Promise<void> {
    await screen.leaving();
    await this.reader.take();
    await screen.reach('idle');
  }

  /** The scenario is over: no screen it reached had a serious or critical axe-core finding. */
  async leave(screen: PatientScreen): Promise<void> {
    await screen.close();
    expect(screen.axeFindings).toEqual([]);
  }
}
