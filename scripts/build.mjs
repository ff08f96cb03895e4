// `npm run build`: every package compiled by `tsc -b` into its dist/, then what tsc does not emit:
// the plain .mjs, .html and .css files loaded by path.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  for (const file of readdirSync(src, { recursive: true }))
    if (/\.(mjs|html|css)$/.test(file)) cpSync(join(src, file), join(root, 'packages', pkg, 'dist', file));
}
