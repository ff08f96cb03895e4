/**
 * The folder an EMR or receipt computer polls for result documents (the `face` folder of today's
 * link applications, or any folder clinic IT configures). The EMR reads whatever `.xml` it finds and
 * deletes it, so a file must appear whole or not at all: writeFileAtomic writes under a dot-name
 * ending in `.tmp` and renames.
 */
import { randomBytes } from 'node:crypto';
import { lstat, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toOqsXml } from '@myna/protocol/oqs/oqs-xml.js';
import type { QualificationResult } from '@myna/protocol/oqs/qualification.js';
import { ResultsError } from '@myna/protocol/oqs/results-error.js';
import { writeFileAtomic } from '../common/node/write-file-atomic.ts';

export type ResultFolderErrorCode =
  | 'folder-missing'
  | 'not-a-folder'
  | 'not-writable'
  | 'disk-full'
  | 'write-failed';

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
}

/**
 * `<ProcessExecutionTime>_<MedicalInstitutionCode>_<ArbitraryFileIdentifier>`: sorting file names
 * sorts results by the time OQS stamped them, and the clinic and file id tell two kiosks apart.
 */
export function resultFileBase(result: QualificationResult): string {
  const header = result.MessageHeader;
  return `${header.ProcessExecutionTime}_${header.MedicalInstitutionCode}_${header.ArbitraryFileIdentifier}`;
}

/** Names being written by this process, so that two results with the same base never race for one name. */
const reserved = new Set<string>();

export class ResultFolder {
  readonly folder: string;
  readonly #fileMode: number;

  constructor(options: ResultFolderOptions) {
    this.folder = resolve(options.folder);
    this.#fileMode = options.fileMode ?? 0o640;
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
    const probe = join(this.folder, `.kiosk-probe-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(probe, '', { flag: 'wx', mode: 0o600 });
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
      path = await this.#reserveName(resultFileBase(result));
      await writeFileAtomic(path, document, this.#fileMode);
      return path;
    } catch (error) {
      throw this.#explain(error);
    } finally {
      if (path !== undefined) reserved.delete(path);
    }
  }

  /**
   * The base name, or the base with `_2`, `_3`… when a file of that name is still waiting for the
   * EMR: a rename would silently replace a result nobody has read. Another process choosing the same
   * name between the check and the rename would need the same ArbitraryFileIdentifier, which each
   * kiosk makes its own.
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

  #explain(error: unknown): ResultFolderError {
    const code = (error as { code?: string } | undefined)?.code ?? 'unknown';
    const folder = this.folder;
    const fix = "or correct the result folder in the kiosk's configuration";
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
