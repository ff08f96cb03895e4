import { writeFileSync } from 'node:fs';
import { Command } from 'commander';

/**
 * `kiosk card digit-prototypes`: draws the digit prototypes the kiosk's own reading of the security
 * code compares against, and writes them as the module it loads. Added under the field CLI's `card`.
 */
export function cardDigitPrototypesCommand(): Command {
  return new Command('digit-prototypes')
    .description('draw the digit prototypes for reading the security code, written as a TypeScript module')
    .requiredOption(
      '--out <file>',
      'the module to write (packages/kiosk/src/card-front/digit-prototype-data.ts)',
    )
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .action(async (options: { out: string }) => {
      // Loaded here: the other commands must not pay for the canvas.
      const { digitPrototypes, prototypeModule } = await import('../card-front/digit-prototypes.ts');
      const prototypes = digitPrototypes();
      writeFileSync(options.out, prototypeModule(prototypes));
      process.stdout.write(`${prototypes.labels.length} digit prototypes in ${options.out}\n`);
    });
}
