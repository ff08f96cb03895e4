import { basename } from 'node:path';
import type { QualificationResult } from '@myna/protocol/oqs/qualification.js';
import type { ResultFolder } from './result-folder.ts';
import type { ResultMemory } from './result-memory.ts';

/** Where the reception flow hands a finished qualification result. */
export interface ResultSink {
  publish(result: QualificationResult): Promise<{ file: string; id: string }>;
}

/**
 * The folder first: it is what existing EMRs read, so a result the folder refused (ResultFolderError,
 * which names the folder and the fix) is reported to the flow and not offered on the API either, and
 * the two never disagree. The API id is the file's name without `.xml`, so a reception system can
 * match an API entry to the file the EMR took.
 */
export function folderAndApiSink(folder: ResultFolder, memory: ResultMemory): ResultSink {
  return {
    async publish(result) {
      const file = await folder.write(result);
      const id = basename(file, '.xml');
      memory.add(id, result);
      return { file, id };
    },
  };
}
