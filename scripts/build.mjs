// `npm run build`: every package compiled by `tsc -b` into its dist/, then what tsc does not make:
// the plain .mjs files loaded by path, and the kiosk's code for outside Node bundled by esbuild.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleKioskBrowser } from './bundle-kiosk-browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-b', join(root, 'tsconfig.build.json')],
  {
    stdio: 'inherit',
  },
);
for (const pkg of readdirSync(join(root, 'packages'))) {
  const src = join(root, 'packages', pkg, 'src');
  if (!existsSync(src)) continue;
  for (const file of readdirSync(src, { recursive: true }))
    if (file.endsWith('.mjs')) cpSync(join(src, file), join(root, 'packages', pkg, 'dist', file));
}
await bundleKioskBrowser(join(root, 'packages/kiosk'));
