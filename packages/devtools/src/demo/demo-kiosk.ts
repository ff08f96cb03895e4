/**
 * The demo: the kiosk exactly as it ships, composed through its public options with the reference
 * upstream on loopback (its own test CA and a SoftHSM2 device key) and the test people's virtual
 * cards, placed and taken away from the operator panel. Its files live beside the kiosk database,
 * under `demo/`.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KioskServices } from '@myna/kiosk/kiosk/kiosk-services.js';
import { type StartKioskOptions, startKiosk } from '@myna/kiosk/kiosk/start-kiosk.js';
import { startDemoCard } from './demo-card.ts';
import { startDemoUpstream } from './demo-upstream.ts';

export async function startDemoKiosk(
  options: Omit<StartKioskOptions, 'parts' | 'operator'>,
): Promise<KioskServices> {
  const { config } = options;
  const warn = options.warn ?? ((line: string) => process.stderr.write(`kiosk: ${line}\n`));
  const varDir = join(dirname(config.paths.db), 'demo');
  mkdirSync(varDir, { recursive: true });
  // The demo owns its result folder; in the field the folder is the clinic's and must exist.
  mkdirSync(config.paths.results, { recursive: true });
  const demo = await startDemoUpstream({ varDir, kioskId: config.kioskId, warn });
  try {
    const card = await startDemoCard(warn);
    const { url } = demo.upstream;
    const { credentials, attestor } = demo;
    const services = await startKiosk({
      // Any free port: a demo must start beside a field kiosk, or another demo, on this machine.
      resultsApiPort: 0,
      ...options,
      warn,
      parts: { url, credentials, attestor, card: (front) => card.source(front), cardCamera: card.cardCamera },
      operator: card.operator,
    });
    return {
      ...services,
      async close() {
        await services.close();
        await demo.upstream.close();
      },
    };
  } catch (error) {
    await demo.upstream.close();
    throw error;
  }
}
