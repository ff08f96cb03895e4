/**
 * `kiosk sim …`: the virtual My Number card for development and tests.
 *   sim card --person FILE   serve a virtual card to pcscd through vpcd
 *   sim people               list the test people
 */
import { simCardCommand } from '@myna/card-sim/cli/sim-card-command.js';
import { listPeople } from '@myna/card-sim/people.js';
import { printResult } from '@myna/kiosk/cli/output.js';
import { Command } from 'commander';

export function simCommand(): Command {
  const sim = new Command('sim').description('virtual My Number card for development and tests');

  sim.addCommand(simCardCommand());

  sim
    .command('people')
    .description('list the test people (packages/card-sim/people)')
    .option('--json', 'print JSON for machines')
    .action((options: { json?: boolean }) => {
      const people = listPeople();
      printResult(options, people, () =>
        people.map((p) => `${p.id.padEnd(22)} age ${String(p.age).padStart(3)}  ${p.notes}`),
      );
    });

  return sim;
}
