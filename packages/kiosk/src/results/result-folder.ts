/**
 * The folder an EMR or receipt computer polls for result documents (the `face` folder of today's
 * link applications, or any folder clinic IT configures). The EMR reads whatever `.xml` it finds and
 * deletes it, so a file must appear whole or not at all: writeFileAtomic writes under a dot-name
 * ending in `.tmp` and renames.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chown, lstat, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toOqsXml } from '@myna/protocol/oqs/oqs-xml.js';
import type { QualificationResult } from '@myna/protocol/oqs/qualification.js';
import { ResultsError } from '@myna/protocol/oqs/results-error.js';
import { writeFileAtomic } from '../common/node/write-file-atomic.ts';
import { type FileGroup, lookUpGroup } from './file-group.ts';

export type ResultFolderErrorCode =
  | 'folder-missing'
  | 'not-a-folder'
  | 'not-writable'
  | 'disk-full'
  | 'write-failed'
  | 'group-unknown'
  | 'group-not-allowed';

/** The folder cannot take results; the message names the folder and what clinic IT should do. */
export class ResultFolderError extends ResultsError<ResultFolderErrorCode> {
  constructor(
    code: ResultFolderErrorCode,
    readonly folder: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

export interface ResultFolderOptions {
  folder: string;
  /**
   * Results are personal data: not world-readable by default. Clinic IT gives the group of the share
   * (Samba, the EMR's service account) read access.
   */
  fileMode?: number;
  /**
   * The group given the files (name or gid: `resultFiles.group` in the kiosk config), with exactly
   * fileMode; left out, the kiosk user's group and fileMode less the umask.
   */
  group?: string | number;
}

/** An id used as it is: it cannot climb out of the folder, clash on a case-blind share or split at `_`. */
const PLAIN_FILE_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * `<ProcessExecutionTime>_<MedicalInstitutionCode>_<file id>`: sorting file names sorts results by
 * the time OQS stamped them, and the clinic and file id tell two kiosks apart.
 *
 * ArbitraryFileIdentifier is opaque text (base64-like with `+ / =`, mixed case, any length) or
 * absent, so it is the file id only when it is plain; otherwise its letters and digits, lower-cased
 * and shortened, then a digest of the whole id, so that two ids differing only in case or in
 * punctuation stay two files. Without one, a random id: two kiosks writing into one share within
 * the same second must not pick one name.
 */
export function resultFileBase(result: QualificationResult): string {
  const header = result.MessageHeader;
  const id: string | undefined = header.ArbitraryFileIdentifier;
  return `${header.ProcessExecutionTime}_${header.MedicalInstitutionCode}_${fileId(id)}`;
}

function fileId(id: string | undefined): string {
  if (id === undefined || id === '') return randomBytes(8).toString('hex');
  if (PLAIN_FILE_ID.test(id)) return id;
  const readable = id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 24)
    .replace(/-+$/, '');
  const digest = createHash('sha256').update(id).digest('hex').slice(0, 12);
  return readable === '' ? digest : `${readable}-${digest}`;
}

/** Names being written by this process, so that two results with the same base never race for one name. */
const reserved = new Set<string>();

export class ResultFolder {
  readonly folder: string;
  readonly #fileMode: number;
  readonly #wantedGroup: string | number | undefined;
  /** Looked up once found: a share account's gid does not change while the kiosk runs. */
  #group: FileGroup | undefined;

  constructor(options: ResultFolderOptions) {
    this.folder = resolve(options.folder);
    this.#fileMode = options.fileMode ?? 0o640;
    this.#wantedGroup = options.group;
  }

  /**
   * Says whether results can be written now, by writing and removing a probe file: permission bits
   * alone say nothing when the kiosk runs as root, or about a read-only mount or a full disk.
   */
  async check(): Promise<void> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(this.folder);
    } catch (error) {
      throw this.#explain(error);
    }
    if (!info.isDirectory()) throw this.#explain({ code: 'ENOTDIR' });
    const group = await this.#fileGroup();
    const probe = join(this.folder, `.kiosk-probe-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(probe, '', { flag: 'wx', mode: 0o600 });
      if (group) await chown(probe, -1, group.gid);
    } catch (error) {
      throw this.#explain(error);
    } finally {
      await rm(probe, { force: true });
    }
  }

  /** Writes one result; returns the absolute path of its file. */
  async write(result: QualificationResult): Promise<string> {
    const document = Buffer.from(toOqsXml(result), 'utf8');
    let path: string | undefined;
    try {
      const group = await this.#fileGroup();
      path = await this.#reserveName(resultFileBase(result));
      await writeFileAtomic(path, document, this.#fileMode, group?.gid);
      return path;
    } catch (error) {
      throw error instanceof ResultFolderError ? error : this.#explain(error);
    } finally {
      if (path !== undefined) reserved.delete(path);
    }
  }

  /**
   * The base name, or the base with `_2`, `_3`… when a file of that name is still waiting for the
   * EMR: a rename would silently replace a result nobody has read. Another process choosing the same
   * name between the check and the rename would need the same ArbitraryFileIdentifier (absent, it is
   * random), which each kiosk makes its own.
   */
  async #reserveName(base: string): Promise<string> {
    for (let n = 1; ; n++) {
      const path = join(this.folder, n === 1 ? `${base}.xml` : `${base}_${n}.xml`);
      if (reserved.has(path)) continue;
      reserved.add(path);
      let taken: boolean;
      try {
        taken = await exists(path);
      } catch (error) {
        reserved.delete(path);
        throw error;
      }
      if (!taken) return path;
      reserved.delete(path);
    }
  }

  async #fileGroup(): Promise<FileGroup | undefined> {
    const wanted = this.#wantedGroup;
    if (wanted === undefined || this.#group !== undefined) return this.#group;
    let found: FileGroup | undefined;
    try {
      found = await lookUpGroup(wanted);
    } catch (error) {
      throw new ResultFolderError(
        'group-unknown',
        this.folder,
        `cannot look up group ${wanted} for the result files (resultFiles.group in the kiosk config): ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (found === undefined) {
      throw new ResultFolderError(
        'group-unknown',
        this.folder,
        `group ${wanted} for the result files (resultFiles.group in the kiosk config) does not exist on this machine: create it, or name the group of the account the receipt computer reads the share with`,
      );
    }
    this.#group = found;
    return found;
  }

  #explain(error: unknown): ResultFolderError {
    const { code = 'unknown', syscall } = (error ?? {}) as { code?: string; syscall?: string };
    const folder = this.folder;
    const fix = "or correct the result folder in the kiosk's configuration";
    if (syscall === 'chown' || syscall === 'fchown') {
      const group = this.#group?.name ?? String(this.#wantedGroup);
      return new ResultFolderError(
        'group-not-allowed',
        folder,
        `the kiosk may not give result files in ${folder} to group ${group} (resultFiles.group in the kiosk config, ${code}): add the kiosk's user to that group, or leave resultFiles.group out`,
        { cause: error },
      );
    }
    switch (code) {
      case 'ENOENT':
        return new ResultFolderError(
          'folder-missing',
          folder,
          `result folder ${folder} does not exist: create it (or mount the share the EMR reads) and give the kiosk's user write access, ${fix}`,
          { cause: error },
        );
      case 'ENOTDIR':
        return new ResultFolderError(
          'not-a-folder',
          folder,
          `result folder ${folder} is not a folder (it, or a folder above it, is a file): ${fix}`,
          { cause: error },
        );
      case 'EACCES':
      case 'EPERM':
      case 'EROFS':
        return new ResultFolderError(
          'not-writable',
          folder,
          `the kiosk cannot write into result folder ${folder} (${code}): give the kiosk's user write access, or remount the share read-write`,
          { cause: error },
        );
      case 'ENOSPC':
      case 'EDQUOT':
        return new ResultFolderError(
          'disk-full',
          folder,
          `no space left for result files in ${folder} (${code}): free space, and check that the EMR is collecting (and deleting) the files it reads`,
          { cause: error },
        );
      default:
        return new ResultFolderError(
          'write-failed',
          folder,
          `writing a result file into ${folder} failed (${code}): check the disk or the network share`,
          { cause: error },
        );
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
