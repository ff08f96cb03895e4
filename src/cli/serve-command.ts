import { Command } from 'commander';

/**
 * `kiosk serve upstream`: the reference qualification service that stands in for the national
 * system on loopback, for development, the demo and tests.
 */
export function serveCommand(): Command {
  const serve = new Command('serve').description('services the kiosk talks to, run locally');
  serve
    .command('upstream')
    .description('the reference qualification service (HTTPS with client certificates)')
    .option('--db <url>', 'sqlite:FILE, sqlite::memory: or postgres://… (default sqlite:var/upstream.db)')
    .option('--port <n>', 'TCP port on 127.0.0.1 (default 8443)')
    .action(() => {
      throw new Error('kiosk serve upstream: not available yet');
    });
  return serve;
}
