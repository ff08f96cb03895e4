// Worker: checkpoints the upstream's SQLite write-ahead log on a connection of its own. Copying the
// log into the database file and syncing it takes milliseconds; on the connection that answers
// requests (better-sqlite3 is synchronous) that would stop every request in flight at once.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
// PASSIVE: copies what no reader still needs and never waits for, or blocks, the answering side.
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint.run();
  } catch {
    // The next interval tries again; a lasting failure shows as a growing -wal file.
  }
}, workerData.intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  // The last connection to close checkpoints the whole log and removes it.
  db.close();
  parentPort.close();
});
