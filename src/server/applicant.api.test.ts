/**
 * Applicant data on a session (PATCH /v1/sessions/{id}) over real HTTP: validation, the same key-case
 * and alias handling as creation, 409 once the session is over, encryption at rest checked on the
 * database file itself, never in the logs, present in the export and gone after redaction.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ErrorShape } from './test-support/http.js';
import { createKey, removeDataDir, startServer, type ServerProcess } from './test-support/server-process.js';

let server: ServerProcess;
let key: string;
let logs = '';

// Values that appear nowhere else, so finding one in a file means it was stored in clear.
const APPLICANT = {
  first_name: 'Zebulonia',
  'last-name': 'Quixoteworth',
  dateOfBirth: '1984-02-29',
  email: 'zebulonia.q@example.org',
  phone: '+44 7700 900123',
  idNumber: 'XQ7734125',
  address: { line1: '12 Marmalade Crescent', city: 'Puddlecombe', postcode: 'PC1 7ZZ' },
};
const CLEAR_VALUES = [
  'Zebulonia',
  'Quixoteworth',
  '1984-02-29',
  'zebulonia.q@example.org',
  '7700 900123',
  'XQ7734125',
  'Marmalade',
  'Puddlecombe',
];

beforeAll(async () => {
  server = await startServer({ env: { IDV_LOG_LEVEL: 'info' } });
  server.child.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  server.child.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  key = await createKey(server.dataDir);
});

afterAll(async () => {
  await server.kill();
  removeDataDir(server.dataDir);
});

const api = (path: string) => `${server.url}${path}`;

async function newSession() {
  const created = await call<{ sessionId: string }>(api('/v1/sessions'), {
    token: key,
    json: { flow: 'liveness' },
  });
  expect(created.status).toBe(201);
  return api(`/v1/sessions/${created.body.sessionId}`);
}

const patch = (url: string, json: unknown) =>
  call<Record<string, unknown> & ErrorShape>(url, { method: 'PATCH', token: key, json });

describe('PATCH /v1/sessions/{id}', () => {
  it('sets and corrects applicant data and metadata, with any key case, aliases and the JSON:API envelope', async () => {
    const url = await newSession();
    const first = await patch(url, { fields: APPLICANT, metadata: { crm_id: 77 } });
    expect(first.status).toBe(200);
    expect(first.body['subject']).toEqual({
      firstName: 'Zebulonia',
      lastName: 'Quixoteworth',
      dateOfBirth: '1984-02-29',
      email: 'zebulonia.q@example.org',
      phone: '+44 7700 900123',
      idNumber: 'XQ7734125',
      address: { line1: '12 Marmalade Crescent', city: 'Puddlecombe', postcode: 'PC1 7ZZ' },
    });
    expect(first.body['metadata']).toEqual({ crm_id: 77 });
    // A correction changes one field and keeps the others.
    const corrected = await patch(url, {
      data: { attributes: { applicant: { family_name: 'Quixoteworth-Smith' } } },
    });
    expect(corrected.body['subject']).toMatchObject({
      firstName: 'Zebulonia',
      lastName: 'Quixoteworth-Smith',
    });
  });

  it.each([
    ['an unknown field', { colour: 'red' }, 'parameter_unknown', 'colour'],
    ['an unknown applicant field', { subject: { shoeSize: 42 } }, 'parameter_unknown', 'subject.shoeSize'],
    ['a field create has but PATCH has not', { flow: 'document' }, 'parameter_unknown', 'flow'],
    [
      'a date of birth that is no date',
      { subject: { dateOfBirth: '29/02/1984' } },
      'parameter_invalid',
      'subject.dateOfBirth',
    ],
    ['a name that is a number', { user: { firstName: 42 } }, 'parameter_invalid', 'subject.firstName'],
    ['applicant data that is a string', { fields: 'Zebulonia' }, 'parameter_invalid', 'subject'],
    ['metadata that is a list', { metadata: [1, 2] }, 'parameter_invalid', 'metadata'],
    [
      'an address line that is an object',
      { subject: { address: { line1: { no: 1 } } } },
      'parameter_invalid',
      'subject.address.line1',
    ],
    [
      'two names for one field',
      { subject: { lastName: 'A' }, fields: { lastName: 'B' } },
      'parameter_duplicate',
      'subject',
    ],
  ])('refuses %s with 400', async (_name, json, code, param) => {
    const url = await newSession();
    const response = await patch(url, json);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code, param });
  });

  it('refuses an empty body, and any change once the session is over (409)', async () => {
    const url = await newSession();
    expect((await patch(url, {})).status).toBe(400);
    for (const end of ['cancel', 'expire']) {
      const session = await newSession();
      await call(`${session}/${end}`, { method: 'POST', token: key });
      const late = await patch(session, { subject: { firstName: 'Late' } });
      expect(late.status).toBe(409);
      expect(late.body.error).toMatchObject({ type: 'conflict_error', code: 'session_not_active' });
    }
  });

  it('keeps applicant data encrypted in the database file and out of the logs; export has it, redaction removes it', async () => {
    const url = await newSession();
    await patch(url, { subject: APPLICANT });
    const exported = await call<{ session: { subject: Record<string, unknown> } }>(`${url}/export`, {
      token: key,
    });
    expect(exported.body.session.subject).toMatchObject({ firstName: 'Zebulonia', idNumber: 'XQ7734125' });

    // Every file of the database (the main file and its write-ahead log) read as bytes.
    const files = readdirSync(server.dataDir).filter((name) => name.startsWith('idv.sqlite'));
    expect(files).toContain('idv.sqlite');
    const bytes = Buffer.concat(files.map((name) => readFileSync(join(server.dataDir, name))));
    for (const value of CLEAR_VALUES) {
      expect(bytes.includes(Buffer.from(value)), `${value} in the database file`).toBe(false);
    }
    expect(logs.length).toBeGreaterThan(0); // the server did log its requests
    for (const value of CLEAR_VALUES) expect(logs, `${value} in the logs`).not.toContain(value);

    const redacted = await call<{ subject: unknown }>(url, { method: 'DELETE', token: key });
    expect(redacted.body.subject).toBeNull();
    const after = await call<{ session: { subject: unknown } }>(`${url}/export`, { token: key });
    expect(after.body.session.subject).toBeNull();
  });
});
