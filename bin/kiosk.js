#!/usr/bin/env node
// The CLI runs from the TypeScript sources through tsx, so `npx kiosk` never needs a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
