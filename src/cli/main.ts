import { Command, CommanderError } from 'commander';
import { auditCommand } from './audit-command.ts';
import { cardCommand } from './card-command.ts';
import { demoCommand } from './demo-command.ts';
import { deviceCommand } from './device-command.ts';
import { faceCommand } from './face-command.ts';
import { EXIT, reportError } from './output.ts';
import { previewCommand } from './preview-command.ts';
import { serveCommand } from './serve-command.ts';
import { simCommand } from './sim-command.ts';
import { startCommand } from './start-command.ts';

const program = new Command('kiosk')
  .description('マイナ受付 kiosk: My Number card reader, face match and reception flow')
  .addCommand(cardCommand())
  .addCommand(simCommand())
  .addCommand(faceCommand())
  .addCommand(deviceCommand())
  .addCommand(auditCommand())
  .addCommand(serveCommand())
  .addCommand(demoCommand())
  .addCommand(previewCommand())
  .addCommand(startCommand());

/** addCommand() does not pass settings down, and every command must end through the one handler below. */
function configure(command: Command): void {
  command.exitOverride().showHelpAfterError('(run with --help for usage)');
  for (const sub of command.commands) configure(sub);
}
configure(program);

// A reader of our output that went away (`kiosk card info | head -1`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const json = process.argv.includes('--json');
try {
  await program.parseAsync(process.argv);
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
