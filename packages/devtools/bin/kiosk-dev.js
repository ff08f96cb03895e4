#!/usr/bin/env node
// The kiosk's command line with the testbed's commands (sim, serve upstream, demo, preview, start
// --demo), compiled (npm run build).
import '../dist/cli/main.js';
