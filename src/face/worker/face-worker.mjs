// Worker entry: workers do not inherit the main thread's TypeScript loader, so this plain module
// registers tsx and then loads the worker's TypeScript, as bin/kiosk.js does for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./face-worker.ts');
