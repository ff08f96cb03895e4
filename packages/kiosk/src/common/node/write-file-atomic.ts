import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that a reader polling the folder sees either nothing or the whole file:
 * a temporary name in the same folder, fsync, rename over the final name, then fsync the folder so
 * that the rename itself survives a power cut.
 *
 * With a gid the file is given to that group and gets exactly `mode`, before the rename: the reader
 * (a share account in that group) never sees it with the kiosk user's group, nor with group bits the
 * umask took away. A refused chown fails with `syscall: 'fchown'`, so callers can say why.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array,
  mode = 0o644,
  gid?: number,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    if (gid !== undefined) {
      await handle.chown(-1, gid);
      await handle.chmod(mode);
    }
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(path));
}

/** Platforms and file systems that cannot fsync a folder (Windows, some network shares) say so with these. */
const FOLDER_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'ENOTSUP', 'EPERM']);

async function syncFolder(folder: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(folder, 'r');
  } catch (error) {
    if (FOLDER_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!FOLDER_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}
