import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RARE_NAME, sampleResult } from '@myna/devtools/test-support/sample-result.js';
import { fromOqsXml } from '@myna/protocol/oqs/oqs-xml.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalApi, startLocalApi } from '../../src/results/local-api.ts';
import { LocalApiError } from '../../src/results/local-api-error.ts';
import { ResultFolder } from '../../src/results/result-folder.ts';
import { type HeldResult, ResultMemory } from '../../src/results/result-memory.ts';
import { folderAndApiSink } from '../../src/results/result-sink.ts';

const start = Date.parse('2025-04-01T00:30:15Z');
let now = start;
const memory = new ResultMemory({ ttlMs: 15 * 60_000, maxResults: 200, now: () => now });
let dir: string;
let api: LocalApi;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'results-api-'));
  api = await startLocalApi({ memory, tokenFile: join(dir, 'local-api.token') });
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  now = start;
  memory.clear();
});

function get(path: string, token: string | null = api.token): Promise<Response> {
  return fetch(`${api.url}${path}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
}

async function expectProblem(
  response: Response,
  status: number,
  code: string,
): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `urn:myna-kiosk:problem:${code}` });
  expect(typeof body.title).toBe('string');
  return body;
}

describe('local results API over loopback HTTP', () => {
  it('listens on 127.0.0.1 only, with the generated token in a 0600 file', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const file = join(dir, 'local-api.token');
    expect(readFileSync(file, 'utf8').trim()).toBe(api.token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('answers 401 without a token, with a wrong one, and with another scheme', async () => {
    memory.add('r1', sampleResult());
    const missing = await expectProblem(await get('/v1/results', null), 401, 'unauthorized');
    expect(missing.detail).toMatch(/Bearer/);
    // One character changed (an 'A' at the end would leave a token that ends in 'A' as it was).
    const wrong = `${api.token.slice(0, -1)}${api.token.endsWith('A') ? 'B' : 'A'}`;
    await expectProblem(await get('/v1/results', wrong), 401, 'unauthorized');
    await expectProblem(await get('/v1/results/r1', 'x'), 401, 'unauthorized');
    const basic = await fetch(`${api.url}/v1/results`, { headers: { authorization: `Basic ${api.token}` } });
    await expectProblem(basic, 401, 'unauthorized');
    expect(basic.headers.get('www-authenticate')).toMatch(/^Bearer/);
    // Nothing about which routes exist leaks to a caller without the token.
    await expectProblem(await get('/nowhere', null), 401, 'unauthorized');
  });

  it('serves results to the right token, not cacheable', async () => {
    memory.add('r1', sampleResult());
    const response = await get('/v1/results');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { results: HeldResult[] };
    expect(body.results).toHaveLength(1);
    expect(body.results[0]).toMatchObject({ id: 'r1', receivedAt: '2025-04-01T00:30:15.000Z' });
    expect(body.results[0]!.result).toEqual(sampleResult());
    expect(body.results[0]!.result.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!.Name).toBe(
      RARE_NAME,
    );
  });

  it('filters by since and refuses a since that is not a date and time', async () => {
    memory.add('early', sampleResult());
    now += 60_000;
    memory.add('late', sampleResult());
    const ids = async (query: string) =>
      ((await (await get(`/v1/results${query}`)).json()) as { results: HeldResult[] }).results.map(
        (r) => r.id,
      );
    expect(await ids('')).toEqual(['early', 'late']);
    expect(await ids('?since=2025-04-01T00:30:15.000Z')).toEqual(['late']);
    expect(await ids(`?since=${encodeURIComponent('2025-04-01T09:30:00+09:00')}`)).toEqual(['early', 'late']);
    expect(await ids('?since=2025-04-01T00:31:15Z')).toEqual([]);
    const bad = await expectProblem(await get('/v1/results?since=yesterday'), 400, 'invalid-query');
    expect(bad.detail).toMatch(/ISO 8601/);
  });

  it('serves one result by id and a problem document for an unknown one', async () => {
    memory.add('20250401093015_1312345678_kiosk01-000042', sampleResult());
    const found = await get('/v1/results/20250401093015_1312345678_kiosk01-000042');
    expect(found.status).toBe(200);
    expect(((await found.json()) as HeldResult).result).toEqual(sampleResult());
    const missing = await expectProblem(await get('/v1/results/nope'), 404, 'result-not-found');
    expect(missing.instance).toBe('/v1/results/nope');
    await expectProblem(await get('/v2/other'), 404, 'not-found');
  });

  it('stops serving a result once it has expired', async () => {
    memory.add('r1', sampleResult());
    now += 15 * 60_000 - 1;
    expect((await get('/v1/results/r1')).status).toBe(200);
    now += 1;
    await expectProblem(await get('/v1/results/r1'), 404, 'result-not-found');
    expect(((await (await get('/v1/results')).json()) as { results: unknown[] }).results).toEqual([]);
  });
});

describe('the port the configuration names', () => {
  it('listens on it, and says in one line that it is taken, naming the port and the config key', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as { port: number }).port;
    try {
      const error = await startLocalApi({ memory, port }).then(
        () => new Error('the API started on a port in use'),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LocalApiError);
      expect(error).toMatchObject({ code: 'port-in-use' });
      const { message } = error as LocalApiError;
      expect(message).toContain(`127.0.0.1:${port}`);
      expect(message).toContain('resultsApi.port');
      expect(message).not.toContain('\n');
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
    const fixed = await startLocalApi({ memory, port });
    try {
      expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
      memory.add('r1', sampleResult());
      const response = await fetch(`${fixed.url}/v1/results/r1`, {
        headers: { authorization: `Bearer ${fixed.token}` },
      });
      expect(response.status).toBe(200);
    } finally {
      await fixed.close();
    }
  });
});

describe('folderAndApiSink', () => {
  let folder: string;
  beforeEach(() => {
    folder = join(dir, `face-${Math.random().toString(36).slice(2)}`);
    mkdirSync(folder);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('publishes one result to the folder and the API under the same name', async () => {
    const sink = folderAndApiSink(new ResultFolder({ folder }), memory);
    const { file, id } = await sink.publish(sampleResult());
    expect(id).toBe('20250401093015_1312345678_kiosk01-000042');
    expect(file).toBe(join(folder, `${id}.xml`));
    const fromApi = (await (await get(`/v1/results/${id}`)).json()) as HeldResult;
    expect(fromApi.result).toEqual(fromOqsXml(readFileSync(file)));
  });

  it('offers nothing on the API when the folder refused the result', async () => {
    const sink = folderAndApiSink(new ResultFolder({ folder: join(folder, 'missing') }), memory);
    await expect(sink.publish(sampleResult())).rejects.toMatchObject({ code: 'folder-missing' });
    expect(memory.size).toBe(0);
  });
});
