/**
 * `kiosk-dev` (bin/kiosk.js in a checkout): the field kiosk's command line plus the testbed's
 * commands: simulated cards, the reference upstream, the card walkthrough, screen previews,
 * `--virtual-card` on the card commands and `start --demo`.
 */
import { fileURLToPath } from 'node:url';
import { virtualCardFor } from '@myna/card-sim/card-factory.js';
import { InProcessConnection } from '@myna/card-sim/in-process-connection.js';
import { kioskProgram, runProgram } from '@myna/kiosk/cli/program.js';
import { compiledEntry } from '@myna/kiosk/common/node/package-dir.js';
import { startDemoKiosk } from '../demo/demo-kiosk.ts';
import { cardGlyphPrototypesCommand } from './card-glyph-prototypes-command.ts';
import { cardPhotosCommand } from './card-photos-command.ts';
import { demoCommand } from './demo-command.ts';
import { previewCommand } from './preview-command.ts';
import { serveCommand } from './serve-command.ts';
import { simCommand } from './sim-command.ts';

// In a checkout the kiosk's files go under var/ (the demo's database, results and screens), not
// into the platform's data folder a counter PC uses.
process.env.KIOSK_DATA_DIR ??= fileURLToPath(new URL('../../../../var', import.meta.url));

const program = kioskProgram({
  description: 'マイナ受付 kiosk with its testbed: virtual cards, the reference upstream, the demo',
  card: { virtualCards: (file) => new InProcessConnection(virtualCardFor(file)) },
  start: {
    demo: {
      startKiosk: startDemoKiosk,
      electronEntry: fileURLToPath(compiledEntry('../demo/electron-demo-main.js', import.meta.url)),
    },
  },
  extra: [simCommand(), serveCommand(), demoCommand(), previewCommand()],
});
// Synthetic card-front photos and the digit prototypes sit with the card commands.
const card = program.commands.find((command) => command.name() === 'card');
card?.addCommand(cardPhotosCommand());
card?.addCommand(cardGlyphPrototypesCommand());
await runProgram(program);
