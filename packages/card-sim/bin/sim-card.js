#!/usr/bin/env node
// `sim-card card --person FILE …`: the virtual card for pcscd's vpcd reader, compiled (npm run build).
import '../dist/cli/sim-card-main.js';
