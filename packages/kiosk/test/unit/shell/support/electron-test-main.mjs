// The Electron main process of the Playwright Electron test: TypeScript through tsx, as in the kiosk.
import { register } from 'tsx/esm/api';

register();
await import('./electron-test-main.ts');
