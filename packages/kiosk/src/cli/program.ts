/**
 * The `kiosk` command line as a program others can extend: the field kiosk runs it as it is
 * (bin/kiosk.js), the testbed's `kiosk-dev` adds its own commands and the demo to the same program,
 * so every command, field or development, ends through one error handler and one set of exit codes.
 */
import { Command, CommanderError } from 'commander';
import { auditCommand } from './audit-command.ts';
import { type CardIo, cardCommand } from './card-command.ts';
import { deviceCommand } from './device-command.ts';
import { faceCommand } from './face-command.ts';
import { EXIT, reportError } from './output.ts';
import { type StartIo, startCommand } from './start-command.ts';

export interface ProgramOptions {
  name?: string;
  description?: string;
  card?: CardIo;
  start?: StartIo;
  /** Commands of the testbed (simulated cards, the reference upstream, previews). */
  extra?: Command[];
}

export function kioskProgram(options: ProgramOptions = {}): Command {
  const program = new Command(options.name ?? 'kiosk')
    .description(
      options.description ?? 'マイナ受付 kiosk: My Number card reader, face match and reception flow',
    )
    .addCommand(cardCommand(options.card))
    .addCommand(faceCommand())
    .addCommand(deviceCommand())
    .addCommand(auditCommand())
    .addCommand(startCommand(options.start));
  for (const command of options.extra ?? []) program.addCommand(command);
  configure(program);
  return program;
}

/** addCommand() does not pass settings down, and every command must end through the one handler below. */
function configure(command: Command): void {
  command.exitOverride().showHelpAfterError('(run with --help for usage)');
  for (const sub of command.commands) configure(sub);
}

/** Runs the program on argv and exits with its status. */
export async function runProgram(program: Command, argv: string[] = process.argv): Promise<never> {
  // A reader of our output that went away (`kiosk card info | head -1`) is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its one line (or the help / version text).
      process.exitCode = error.exitCode === 0 ? 0 : EXIT.usage;
    } else {
      process.exitCode = reportError(error, json);
    }
  }
  // The command has finished (long-running ones such as `sim card` return only when told to stop).
  // Exit now: @pokusew/pcsclite can leave a native handle behind after its context is closed, seen
  // under load, which would keep a finished command alive. stdout and stderr are synchronous here.
  process.exit(process.exitCode ?? 0);
}
