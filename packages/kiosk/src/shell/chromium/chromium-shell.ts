/**
 * The Chromium app-mode shell as `kiosk start` runs it: the host, and (unless told not to) Chromium
 * on the host's app URL. Both stop together.
 */
import type { KioskServices } from '../../kiosk/kiosk-services.ts';
import { type ChromiumProcess, launchChromium } from './chromium-launcher.ts';
import { type KioskHost, startKioskHost } from './kiosk-host.ts';

export interface ChromiumShellOptions {
  services: KioskServices;
  uiDir: string;
  demo: boolean;
  port?: number;
  /** False: only the host; the caller opens the URL (clinic IT, tests). */
  launch: boolean;
  cameraFile?: string;
  executable?: string;
  /** Extra switches, after ours (tests: --headless=new where there is no display). */
  extraArgs?: string[];
  onGiveUp?: () => void;
}

export interface ChromiumShell {
  host: KioskHost;
  chromium: ChromiumProcess | null;
  close(): Promise<void>;
}

export async function startChromiumShell(options: ChromiumShellOptions): Promise<ChromiumShell> {
  // The staff panel is served in the field too: 目視確認 and 確認しました are staff actions at every
  // counter; only the demo adds the test cards to it.
  const host = await startKioskHost({
    services: options.services,
    uiDir: options.uiDir,
    port: options.port,
    operatorPanel: true,
  });
  const chromium =
    options.launch && host.appUrl !== null
      ? launchChromium({
          url: host.appUrl,
          demo: options.demo,
          cameraFile: options.cameraFile,
          executable: options.executable,
          extraArgs: options.extraArgs,
          // Chromium will not start as root with its sandbox; a kiosk should not run as root anyway.
          noSandbox: process.getuid?.() === 0,
          onGiveUp: options.onGiveUp,
        })
      : null;
  return {
    host,
    chromium,
    async close() {
      await chromium?.stop();
      await host.close();
    },
  };
}
