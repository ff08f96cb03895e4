import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';

/**
 * `kiosk card glyph-prototypes`: draws the prototypes the kiosk's own reading of the security code
 * and the dates compares against, and writes them as the modules it loads. Added under the field
 * CLI's `card`.
 */
export function cardGlyphPrototypesCommand(): Command {
  return new Command('glyph-prototypes')
    .description(
      'draw the prototypes for reading the security code and the dates, written as TypeScript modules',
    )
    .requiredOption('--dir <folder>', 'where the modules go (packages/kiosk/src/card-front)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .action(async (options: { dir: string }) => {
      // Loaded here: the other commands must not pay for the canvas.
      const { glyphPrototypes, prototypeModule, PROTOTYPE_MODULES } = await import(
        '../card-front/glyph-prototypes.ts'
      );
      for (const [kind, prototypes] of Object.entries(glyphPrototypes())) {
        const file = join(options.dir, PROTOTYPE_MODULES[kind as keyof typeof PROTOTYPE_MODULES].file);
        writeFileSync(file, prototypeModule(kind as keyof typeof PROTOTYPE_MODULES, prototypes));
        process.stdout.write(`${prototypes.labels.length} prototypes in ${file}\n`);
      }
    });
}
