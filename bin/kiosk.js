#!/usr/bin/env node
// In a source checkout: the kiosk's command line with the testbed's commands (kiosk-dev), compiled
// by `npm run build`. A counter PC has only the field commands (packages/kiosk/bin/kiosk.js).
import '../packages/devtools/dist/cli/main.js';
