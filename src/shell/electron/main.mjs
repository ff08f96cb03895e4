// Electron runs this file: like bin/kiosk.js it runs the TypeScript sources through tsx, so the
// Electron shell needs no build step of its own.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
