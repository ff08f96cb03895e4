#!/usr/bin/env node
// The field kiosk's command line, compiled (npm run build); the testbed's is kiosk-dev.
import '../dist/cli/main.js';
