import { writeFile } from 'node:fs/promises';
import { printResult } from '@myna/kiosk/cli/output.js';
import { SCREENS } from '@myna/kiosk/common/ui-protocol.js';
import { LANGUAGES } from '@myna/kiosk/ui/languages.js';
import { Command } from 'commander';

interface PreviewOptions {
  vendor: string;
  screen: string;
  lang?: string;
  orientation?: 'portrait' | 'landscape';
  out: string;
  json?: boolean;
}

/** PNG width and height, from the IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * `kiosk preview`: one patient screen as a vendor's kiosk would show it, with a made-up view (the
 * done screen greets 𠮷田　髙志), rendered by the real renderer in headless Chromium. For vendors
 * checking a profile, and for translators.
 */
export function previewCommand(): Command {
  return new Command('preview')
    .description('render one patient screen of a vendor profile to a PNG (headless Chromium, made-up view)')
    .requiredOption('--vendor <name>', 'a vendor in assets/vendors, or the path of a profile.json')
    .requiredOption('--screen <screen>', `the screen: ${SCREENS.join(', ')}`)
    .option('--lang <code>', `the screen language: ${LANGUAGES.join(', ')} (default: ja)`)
    .option('--orientation <orientation>', "portrait or landscape (default: the profile's screen)")
    .requiredOption('--out <file>', 'where to write the PNG')
    .option('--json', 'print JSON for machines')
    .action(async (options: PreviewOptions) => {
      // Loaded here, not at start-up: other commands must not pay for Chromium and the config schemas.
      const { checkLanguage, checkScreen, previewProfile, renderScreen, PreviewError } = await import(
        '../preview/render-screen.ts'
      );
      const { ConfigError } = await import('@myna/kiosk/config/config-error.js');
      const { UnknownVendorError } = await import('@myna/kiosk/config/vendor-profile.js');
      const { chromiumMissing } = await import('../preview/chromium.ts');
      // A wrong name is one line and exit 2, before any browser starts.
      const refuse = (message: string, exitCode: number) => {
        process.stderr.write(`kiosk: ${message}\n`);
        process.exitCode = exitCode;
      };
      try {
        checkScreen(options.screen);
        if (options.lang !== undefined) checkLanguage(options.lang);
        if (options.orientation !== undefined && !['portrait', 'landscape'].includes(options.orientation)) {
          throw new PreviewError(`unknown orientation "${options.orientation}" (portrait or landscape)`);
        }
        previewProfile(options.vendor, options.lang);
      } catch (error) {
        const usage = [PreviewError, UnknownVendorError, ConfigError].some((kind) => error instanceof kind);
        if (usage) return refuse((error as Error).message, 2);
        throw error;
      }
      const missing = chromiumMissing();
      if (missing) return refuse(`cannot render a preview: ${missing}`, 1);
      const png = await renderScreen({
        vendor: options.vendor,
        screen: options.screen,
        ...(options.lang ? { lang: options.lang } : {}),
        ...(options.orientation ? { orientation: options.orientation } : {}),
      });
      await writeFile(options.out, png);
      const size = pngSize(png);
      printResult(
        options,
        { out: options.out, vendor: options.vendor, screen: options.screen, ...size },
        () => [`${options.out}: ${options.screen} for ${options.vendor}, ${size.width}×${size.height}`],
      );
    });
}
