import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type OpenStoreOptions, openStore, type Store } from '../../../src/store/index.ts';

/** A real database file in a fresh temp dir; closed and removed after each test. */
export function useTempStores() {
  const dirs: string[] = [];
  const stores: Store[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    path(): string {
      const dir = mkdtempSync(join(tmpdir(), 'kiosk-store-'));
      dirs.push(dir);
      return join(dir, 'kiosk.db');
    },
    open(path: string, options: OpenStoreOptions = {}): Store {
      const store = openStore(path, options);
      stores.push(store);
      return store;
    },
  };
}
