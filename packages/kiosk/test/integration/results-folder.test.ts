import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { RARE_NAME, sampleResult } from '@myna/devtools/test-support/sample-result.js';
import { fromOqsXml, ResultXmlError, toOqsXml } from '@myna/protocol/oqs/oqs-xml.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ResultFolder, ResultFolderError } from '../../src/results/result-folder.ts';

const XSD = new URL('../../../protocol/schema/oqs-result.xsd', import.meta.url).pathname;
let root: string;
let folder: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'results-folder-'));
  folder = join(root, 'face');
  mkdirSync(folder);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/**
 * chmod does not stop root, and CI runs as root: there the write runs in a child process as `nobody`,
 * so that the folder's permissions are really what refuses it.
 */
function writeAsUnprivileged(target: string, group?: string): { code?: string; message?: string } {
  const modules = (path: string) => new URL(path, import.meta.url).pathname;
  const script = [
    `import { ResultFolder } from '${modules('../../src/results/result-folder.ts')}';`,
    `import { sampleResult } from '${modules('../../../devtools/src/test-support/sample-result.ts')}';`,
    'new ResultFolder({ folder: process.argv[1], group: process.argv[2] }).write(sampleResult()).then(',
    "  () => console.log('{}'),",
    '  (e) => console.log(JSON.stringify({ code: e.code, message: e.message })),',
    ');',
  ].join('\n');
  const asRoot = process.getuid?.() === 0;
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, target, ...(group ? [group] : [])],
    {
      encoding: 'utf8',
      cwd: modules('../..'),
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    },
  );
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as { code?: string; message?: string };
}

async function refusal(action: Promise<unknown>): Promise<ResultFolderError> {
  const error = await action.then(
    () => {
      throw new Error('expected a ResultFolderError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ResultFolderError);
  return error as ResultFolderError;
}

describe('ResultFolder.write', () => {
  it('writes one sortable, schema-valid file named after the time, the clinic and the file id', async () => {
    const file = await new ResultFolder({ folder }).write(sampleResult());
    expect(file).toBe(join(folder, '20250401093015_1312345678_kiosk01-000042.xml'));
    expect(readdirSync(folder)).toEqual(['20250401093015_1312345678_kiosk01-000042.xml']);
    const bytes = readFileSync(file);
    expect(bytes.equals(Buffer.from(toOqsXml(sampleResult()), 'utf8'))).toBe(true);
    expect(fromOqsXml(bytes).MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!.Name).toBe(
      RARE_NAME,
    );
    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
    expect(lint.status, lint.stderr).toBe(0);
  });

  it('keeps result files from other users of the machine', async () => {
    const file = await new ResultFolder({ folder }).write(sampleResult());
    expect(statSync(file).mode & 0o007).toBe(0);
    const open = await new ResultFolder({ folder, fileMode: 0o644 }).write(
      sampleResult({ header: { ArbitraryFileIdentifier: 'other' } }),
    );
    expect(statSync(open).mode & 0o777).toBe(0o644 & ~process.umask());
  });

  it('never replaces a file the EMR has not collected yet', async () => {
    const results = new ResultFolder({ folder });
    const first = await results.write(sampleResult());
    const second = await results.write(sampleResult({ person: { Name: '髙橋　一' } }));
    expect(second).toBe(join(folder, '20250401093015_1312345678_kiosk01-000042_2.xml'));
    expect(
      fromOqsXml(readFileSync(first)).MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!.Name,
    ).toBe(RARE_NAME);
    expect(readdirSync(folder).sort()).toEqual([
      '20250401093015_1312345678_kiosk01-000042.xml',
      '20250401093015_1312345678_kiosk01-000042_2.xml',
    ]);
  });

  it('gives concurrent writes distinct names, whole files and no temporary files left', async () => {
    const results = new ResultFolder({ folder });
    const count = 24;
    const written = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        results.write(
          sampleResult({
            // Half of them share one name base, half have their own.
            header: { ArbitraryFileIdentifier: i % 2 === 0 ? 'same' : `k-${i}` },
            person: { ReferenceNumber: `P-${i}` },
          }),
        ),
      ),
    );
    expect(new Set(written).size).toBe(count);
    const names = readdirSync(folder);
    expect(names).toHaveLength(count);
    expect(names.every((n) => n.endsWith('.xml') && !n.startsWith('.'))).toBe(true);
    const references = names.map(
      (n) =>
        fromOqsXml(readFileSync(join(folder, n))).MessageBody.ResultList!
          .ResultOfQualificationConfirmation[0]!.ReferenceNumber,
    );
    expect(new Set(references).size).toBe(count);
  });

  it('sorts by the time OQS stamped the result', async () => {
    const results = new ResultFolder({ folder });
    await results.write(
      sampleResult({ header: { ProcessExecutionTime: '20250401100000', ArbitraryFileIdentifier: 'a' } }),
    );
    await results.write(
      sampleResult({ header: { ProcessExecutionTime: '20250401090000', ArbitraryFileIdentifier: 'b' } }),
    );
    await results.write(
      sampleResult({ header: { ProcessExecutionTime: '20241231235959', ArbitraryFileIdentifier: 'c' } }),
    );
    expect(
      readdirSync(folder)
        .sort()
        .map((n) => n.split('_').at(-1)),
    ).toEqual(['c.xml', 'b.xml', 'a.xml']);
  });

  it('keeps every file in the folder whatever the file id holds, and the id itself in the document', async () => {
    const results = new ResultFolder({ folder });
    const ids = ['../../escape', 'QUJDRA==', 'a+b/c=', undefined];
    for (const id of ids) {
      const { ArbitraryFileIdentifier: _, ...header } = sampleResult().MessageHeader;
      const file = await results.write({
        ...sampleResult(),
        MessageHeader: id === undefined ? header : { ...header, ArbitraryFileIdentifier: id },
      });
      expect(file.startsWith(`${folder}/`)).toBe(true);
      expect(fromOqsXml(readFileSync(file)).MessageHeader.ArbitraryFileIdentifier).toBe(id);
    }
    const names = readdirSync(folder);
    expect(names).toHaveLength(ids.length);
    for (const name of names) expect(name).toMatch(/^20250401093015_1312345678_[a-z0-9-]+\.xml$/);
    expect(readdirSync(root)).toEqual(['face']);
  });

  it('writes nothing for a result that cannot become a valid document', async () => {
    const results = new ResultFolder({ folder });
    await expect(results.write(sampleResult({ person: { Name: '田中\u0001花子' } }))).rejects.toThrow(
      ResultXmlError,
    );
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('a folder that cannot take results', () => {
  it('names a missing folder and what to do, creating nothing', async () => {
    const missing = join(root, 'not-there');
    const error = await refusal(new ResultFolder({ folder: missing }).write(sampleResult()));
    expect(error.code).toBe('folder-missing');
    expect(error.name).toBe('ResultFolderError');
    expect(error.folder).toBe(missing);
    expect(error.message).toContain(missing);
    expect(error.message).toMatch(/create it/);
    expect(readdirSync(root)).toEqual(['face']);
  });

  it('names a path under a regular file (it stops root too), leaving nothing behind', async () => {
    const file = join(root, 'face.txt');
    writeFileSync(file, 'not a folder');
    const target = join(file, 'results');
    const error = await refusal(new ResultFolder({ folder: target }).write(sampleResult()));
    expect(error.code).toBe('not-a-folder');
    expect(error.message).toContain(target);
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
    expect(readdirSync(root).sort()).toEqual(['face', 'face.txt']);
  });

  it('check() passes on a usable folder and leaves no probe behind', async () => {
    await new ResultFolder({ folder }).check();
    expect(readdirSync(folder)).toEqual([]);
  });

  it('check() refuses a missing folder, a file, and a path under a file', async () => {
    writeFileSync(join(root, 'plain'), '');
    expect((await refusal(new ResultFolder({ folder: join(root, 'nope') }).check())).code).toBe(
      'folder-missing',
    );
    expect((await refusal(new ResultFolder({ folder: join(root, 'plain') }).check())).code).toBe(
      'not-a-folder',
    );
    expect((await refusal(new ResultFolder({ folder: join(root, 'plain', 'x') }).check())).code).toBe(
      'not-a-folder',
    );
  });

  it('names a folder the kiosk may not write, leaving nothing in it', async () => {
    await chmod(root, 0o755);
    await chmod(folder, 0o555);
    const outcome = writeAsUnprivileged(folder);
    expect(outcome.code).toBe('not-writable');
    expect(outcome.message).toContain(folder);
    expect(outcome.message).toMatch(/write access/);
    expect(readdirSync(folder)).toEqual([]);
  });
});

/**
 * A group of its own for the receipt computer's share account, made for these tests and removed
 * after: chown to any group needs root, which CI is; elsewhere these tests are skipped.
 */
const asRoot = process.getuid?.() === 0 && spawnSync('groupadd', ['--help']).status === 0;

describe.skipIf(!asRoot)('result files for the receipt computer’s share group', () => {
  const group = `emr-share-${process.pid}`;
  let gid: number;
  beforeAll(() => {
    const made = spawnSync('groupadd', [group], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    gid = Number(spawnSync('getent', ['group', group], { encoding: 'utf8' }).stdout.split(':')[2]);
  });
  afterAll(() => {
    spawnSync('groupdel', [group]);
  });

  it('gives each file to the group, readable by it (0640) whatever the umask', async () => {
    const umask = process.umask(0o077);
    try {
      const results = new ResultFolder({ folder, group });
      await results.check();
      const file = await results.write(sampleResult());
      const info = statSync(file);
      expect(info.gid).toBe(gid);
      expect(info.mode & 0o777).toBe(0o640);
      expect(fromOqsXml(readFileSync(file)).MessageHeader.ArbitraryFileIdentifier).toBe('kiosk01-000042');
      expect(readdirSync(folder)).toEqual([basename(file)]);
    } finally {
      process.umask(umask);
    }
  });

  it('takes the group by its gid too', async () => {
    const file = await new ResultFolder({ folder, group: gid }).write(sampleResult());
    expect(statSync(file).gid).toBe(gid);
  });

  it('names a group that does not exist, and the config key, writing nothing', async () => {
    const missing = `no-such-group-${process.pid}`;
    const results = new ResultFolder({ folder, group: missing });
    for (const action of [() => results.check(), () => results.write(sampleResult())]) {
      const error = await refusal(action());
      expect(error.code).toBe('group-unknown');
      expect(error.message).toContain(missing);
      expect(error.message).toContain('resultFiles.group');
    }
    expect(readdirSync(folder)).toEqual([]);
  });

  it('names the group when the kiosk’s user may not give files to it, leaving nothing behind', async () => {
    await chmod(root, 0o755);
    await chmod(folder, 0o777);
    const outcome = writeAsUnprivileged(folder, group);
    expect(outcome.code).toBe('group-not-allowed');
    expect(outcome.message).toContain(group);
    expect(outcome.message).toContain('resultFiles.group');
    expect(readdirSync(folder)).toEqual([]);
  });
});
