import { Command } from 'commander';
import { simCardCommand } from './sim-card-command.ts';

await new Command('sim').addCommand(simCardCommand()).parseAsync(process.argv);
