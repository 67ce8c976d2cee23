/**
 * Automatic extraction over real HTTP: a sandbox session of flow `document` receives a passport page
 * (or an ID card) and completes with the zone's fields in the report and a `document` check; expired
 * documents and a subject that differs are caught; the fields are encrypted at rest, exported, and gone
 * after redaction.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MrzData } from '../../core/mrz/compose.js';
import { call } from '../test-support/http.js';
import { fixtureJpeg } from '../test-support/images.js';
import { createKey, removeDataDir, startServer, type ServerProcess } from '../test-support/server-process.js';
import { syntheticDocument } from './test-support/synthetic.js';

let server: ServerProcess;
let key: string;

beforeAll(async () => {
  server = await startServer();
  key = await createKey(server.dataDir);
}, 60_000);

afterAll(async () => {
  await server.kill();
  removeDataDir(server.dataDir);
});

const DAY = 86_400_000;
const yymmdd = (date: Date) => date.toISOString().slice(2, 10).replaceAll('-', '');

/** Anna Maria Eriksson of the Netherlands, born 1984, passport valid for five more years. */
const ANNA: Partial<MrzData> = {
  documentCode: 'P',
  issuingState: 'NLD',
  nationality: 'NLD',
  surname: 'ERIKSSON',
  givenNames: 'ANNA MARIA',
  documentNumber: 'XK7T4H2L9',
  birthDate: '840812',
  sex: 'F',
  expiryDate: yymmdd(new Date(Date.now() + 5 * 365 * DAY)),
  optionalData: '',
};

interface Report {
  status: string;
  decision: string;
  decisionReasons: string[];
  checks: { type: string; status: string; reasons: string[]; score?: number; source: string }[];
  images: { kind: string; serverMetrics: { mrz?: Record<string, unknown> } }[];
  document: {
    status: string;
    format: string;
    fields: Record<string, string | null>;
    checkDigitsValid: boolean;
    confidence: number;
    doubtful: boolean;
    zone: string[];
  } | null;
}

async function documentSession(json: Record<string, unknown> = {}) {
  const created = await call<{ sessionId: string; clientToken: string }>(`${server.url}/v1/sessions`, {
    token: key,
    json: { flow: 'document', ...json },
  });
  expect(created.status).toBe(201);
  const exchanged = await call<{ uploadToken: string }>(`${server.url}/v1/client/exchange`, {
    json: { clientToken: created.body.clientToken },
  });
  return { sessionId: created.body.sessionId, uploadToken: exchanged.body.uploadToken };
}

async function upload(uploadToken: string, image: Buffer, kind: string) {
  const response = await call<{ accepted: boolean; complete: boolean }>(
    `${server.url}/v1/client/images?kind=${kind}`,
    { token: uploadToken, body: image, headers: { 'content-type': 'image/jpeg' } },
  );
  expect(response.status).toBe(201);
  expect(response.body.accepted).toBe(true);
  return response.body;
}

const report = async (sessionId: string) =>
  (await call<Report>(`${server.url}/v1/sessions/${sessionId}/report`, { token: key })).body;

async function passport(data: Partial<MrzData>, seed = 3) {
  return (await syntheticDocument(seed, { kind: 'passport', clean: true, data })).jpeg;
}

describe('automatic extraction from the machine-readable zone', () => {
  it('completes a document session from a passport page, with the fields in the report', async () => {
    const { sessionId, uploadToken } = await documentSession({
      subject: { firstName: 'Anna', lastName: 'Eriksson', dateOfBirth: '1984-08-12' },
    });
    const intake = await upload(uploadToken, await passport(ANNA), 'passport');
    expect(intake.complete).toBe(true);

    const result = await report(sessionId);
    expect(result.status).toBe('completed');
    expect(result.document).toMatchObject({
      status: 'read',
      format: 'TD3',
      checkDigitsValid: true,
      doubtful: false,
      fields: {
        surname: 'ERIKSSON',
        givenNames: 'ANNA MARIA',
        documentNumber: 'XK7T4H2L9',
        documentType: 'P',
        issuingState: 'NLD',
        nationality: 'NLD',
        birthDate: '1984-08-12',
        sex: 'F',
      },
    });
    expect(result.document?.zone[0]).toBe('P<NLDERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<');
    const document = result.checks.find((check) => check.type === 'document');
    expect(document).toMatchObject({ status: 'passed', reasons: [], source: 'server' });
    expect(document?.score).toBeGreaterThan(0.6);
    expect(result.decision).toBe('approved');
    // The image's metrics say how the read went, and nothing about the person.
    const metrics = result.images[0]?.serverMetrics.mrz;
    expect(metrics).toMatchObject({ status: 'read', format: 'TD3', checkDigitsValid: true });
    expect(JSON.stringify(result.images)).not.toContain('ERIKSSON');

    // Encrypted at rest: neither the name nor the number is in the database files.
    for (const file of ['idv.sqlite', 'idv.sqlite-wal']) {
      const path = join(server.dataDir, file);
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path);
      expect(bytes.includes('ERIKSSON'), file).toBe(false);
      expect(bytes.includes('XK7T4H2L9'), file).toBe(false);
    }

    // The export carries them; redaction removes them.
    const exported = await call<{ report: Report }>(`${server.url}/v1/sessions/${sessionId}/export`, {
      token: key,
    });
    expect(exported.body.report.document?.fields['surname']).toBe('ERIKSSON');
    const redacted = await call(`${server.url}/v1/sessions/${sessionId}`, { method: 'DELETE', token: key });
    expect(redacted.status).toBe(200);
    expect((await report(sessionId)).document).toBeNull();
  }, 120_000);

  it('declines an expired passport with document_expired', async () => {
    const { sessionId, uploadToken } = await documentSession();
    const expired = { ...ANNA, expiryDate: yymmdd(new Date(Date.now() - 40 * DAY)) };
    await upload(uploadToken, await passport(expired, 5), 'passport');
    const result = await report(sessionId);
    expect(result.status).toBe('completed');
    expect(result.document?.fields['expiryDate']).toBe(
      new Date(Date.now() - 40 * DAY).toISOString().slice(0, 10),
    );
    expect(result.checks.find((check) => check.type === 'document')).toMatchObject({
      status: 'failed',
      reasons: ['document_expired'],
    });
    expect(result.decision).toBe('declined');
    expect(result.decisionReasons).toContain('document_expired');
  }, 120_000);

  it('finds a subject that differs from the document (subject_mismatch)', async () => {
    const { sessionId, uploadToken } = await documentSession({
      subject: { lastName: 'Andersson', dateOfBirth: '1984-08-12' },
    });
    await upload(uploadToken, await passport(ANNA, 7), 'passport');
    const result = await report(sessionId);
    expect(result.checks.find((check) => check.type === 'document')).toMatchObject({
      status: 'failed',
      reasons: ['subject_mismatch'],
    });
    expect(result.decision).toBe('declined');
  }, 120_000);

  it('reads the back of an ID card (TD1), and reports an unreadable zone for review', async () => {
    const card = await syntheticDocument(11, {
      kind: 'document_back',
      clean: true,
      data: { ...ANNA, documentCode: 'ID', documentNumber: 'SPECI2021' },
    });
    const { sessionId, uploadToken } = await documentSession();
    await upload(uploadToken, await fixtureJpeg('astronaut', 856, 540), 'document_front');
    await upload(uploadToken, card.jpeg, 'document_back');
    const result = await report(sessionId);
    expect(result.document).toMatchObject({
      format: 'TD1',
      fields: { surname: 'ERIKSSON', documentNumber: 'SPECI2021', documentType: 'ID' },
    });
    expect(result.document?.zone).toEqual(card.lines);

    // A picture with no zone at all where the back should be.
    const other = await documentSession();
    await upload(other.uploadToken, await fixtureJpeg('coffee', 856, 540), 'document_front');
    await upload(other.uploadToken, await fixtureJpeg('chelsea', 856, 540), 'document_back');
    const unreadable = await report(other.sessionId);
    expect(unreadable.document).toMatchObject({ status: 'not_found', fields: null });
    expect(unreadable.checks.find((check) => check.type === 'document')).toMatchObject({
      status: 'review',
      reasons: ['mrz_unreadable'],
    });
    expect(unreadable.decision).toBe('review');
  }, 120_000);
});
