import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { StorageErrorCode } from '../../src/storage/storage.exception';
import { MAX_EVIDENCE_BYTES } from '../../src/storage/storage.service';
import { uploadTempDir } from '../../src/storage/upload-reader';
import { createAssessment, listFiles, openPortal, PDF, snapshot } from '../support/assessment-factory';
import { bearer, expectProblem, StaffUser, TestContext } from '../support/test-app';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A 1×1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082',
  'hex',
);
const TXT = Buffer.from('Security contact: security@vendor.example\nOn call: +49 30 1234567\n安全负责人：王芳\n', 'utf8');
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x3e, 0x00]);
/** The start of a Windows executable: "MZ", then the DOS stub's bytes. */
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'), Buffer.alloc(48, 0)]);

/**
 * A multipart/form-data body written by hand, so the file name reaches the server exactly as
 * given (client libraries strip directories from it).
 */
function multipart(parts: Array<{ name: string; filename?: string; data: Buffer | string; type?: string }>): { body: Buffer; type: string } {
  const boundary = '----vdp-test-boundary-7f3a9c';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.filename !== undefined ? `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data, 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

describe('portal uploads', () => {
  let ctx: TestContext;
  let procurement: StaffUser;
  let reviewer: StaffUser;
  let viewer: StaffUser;
  let assessmentId: string;
  let session: string;
  let filesDir: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    procurement = await ctx.newUser('procurement');
    reviewer = await ctx.newUser('reviewer');
    viewer = await ctx.newUser('viewer');
    const vendor = await ctx.newVendor(procurement.id, { name: 'Upload Test Ltd' });
    const sent = await createAssessment(ctx, procurement.token, vendor, { modules: ['baseline-lite'] });
    assessmentId = sent.id;
    session = await openPortal(ctx, sent.token);
    filesDir = path.join(ctx.config.dataDir, 'files');
  });
  afterAll(async () => ctx.close());

  const upload = (key: string, body: { body: Buffer; type: string }) =>
    ctx.http.post(`/api/portal/answers/${key}/evidence`).set(bearer(session)).set('Content-Type', body.type).send(body.body);
  const file = (filename: string, data: Buffer) => multipart([{ name: 'file', filename, data }]);

  describe('refusals store nothing', () => {
    const cases: Array<[label: string, body: () => { body: Buffer; type: string }, status: number, code: string, detail: RegExp]> = [
      ['a PNG named .pdf', () => file('diagram.pdf', PNG), 400, StorageErrorCode.NameMismatch, /extension .* does not match the content/],
      ['an ELF binary named .pdf', () => file('report.pdf', ELF), 415, StorageErrorCode.UnsupportedType, /not one of the accepted kinds: PDF, PNG, JPEG, DOCX, XLSX, CSV or TXT/],
      ['a Windows executable named .pdf', () => file('invoice.pdf', EXE), 415, StorageErrorCode.UnsupportedType, /not one of the accepted kinds/],
      ['text named .pdf', () => file('policy.pdf', TXT), 400, StorageErrorCode.NameMismatch, /extension .* does not match/],
      ['a file of 25 MB + 1 byte', () => file('big.txt', Buffer.alloc(MAX_EVIDENCE_BYTES + 1, 0x61)), 413, StorageErrorCode.TooLarge, /more than 26214400 bytes; the limit is 25 MB/],
      ['an empty file', () => file('empty.pdf', Buffer.alloc(0)), 400, StorageErrorCode.Empty, /no content/],
      ['a path-traversal name', () => file('../../etc/passwd.txt', Buffer.from('root:x:0:0:root:/root:/bin/bash\n')), 400, StorageErrorCode.BadName, /must not start with "\.\."/],
      ['a name with a backslash path', () => file('..\\..\\windows\\win.ini.txt', Buffer.from('[fonts]\n')), 400, StorageErrorCode.BadName, /without slashes, backslashes/],
      ['no file field', () => multipart([{ name: 'comment', data: 'here is my file' }]), 400, StorageErrorCode.NoFile, /field named "file"/],
      ['a file in another field', () => multipart([{ name: 'upload', filename: 'policy.pdf', data: PDF }]), 400, StorageErrorCode.NoFile, /field named "file"/],
    ];

    it.each(cases)('refuses %s with its problem code', async (_label, body, status, code, detail) => {
      const before = await snapshot(ctx);
      const problem = expectProblem(await upload('incident.plan', body()), status, code);
      expect(problem.detail).toMatch(detail);
      const after = await snapshot(ctx);
      expect(after).toEqual(before);
      expect(after.evidence).toBe(before.evidence);
      expect(listFiles(filesDir)).toEqual(before.files);
    });

    it('refuses a JSON body as no file at all', async () => {
      const before = await snapshot(ctx);
      expectProblem(await ctx.http.post('/api/portal/answers/policy.written/evidence').set(bearer(session)).send({ file: PDF.toString('base64') }), 400, StorageErrorCode.NoFile);
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('refuses files for a question that takes no evidence', async () => {
      const before = await snapshot(ctx);
      // access.own_accounts is a yes/no question without evidence.
      const problem = expectProblem(await upload('access.own_accounts', file('accounts.pdf', PDF)), 400, 'assessment.invalid_answer');
      expect(problem.errors[0]).toMatchObject({ path: 'file' });
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('refuses a file far over the limit, keeping no more than the limit of it (30 MB)', async () => {
      const before = await snapshot(ctx);
      expectProblem(await upload('incident.plan', file('huge.txt', Buffer.alloc(30 * 1024 * 1024, 0x61))), 413, StorageErrorCode.TooLarge);
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('refuses files for a question hidden by its condition, as it refuses answers to it', async () => {
      // suppliers.list (a file question) shows only once suppliers.contracts or suppliers.advance_notice is 'yes'.
      const before = await snapshot(ctx);
      expectProblem(await upload('suppliers.list', file('suppliers.txt', TXT)), 409, 'assessment.question_hidden');
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('refuses files for a question that does not exist', async () => {
      const before = await snapshot(ctx);
      expectProblem(await upload('policy.nonexistent', file('x.pdf', PDF)), 404, 'assessment.unknown_question');
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('left DATA_DIR/files empty, and no temporary file behind', () => {
      expect(listFiles(filesDir)).toEqual([]);
      expect(listFiles(uploadTempDir(ctx.config.dataDir))).toEqual([]);
    });
  });

  describe('accepted files', () => {
    const GOOD: Array<[label: string, key: string, name: string, data: Buffer, mime: string]> = [
      ['a PDF', 'policy.written', '安全政策 2026.pdf', PDF, 'application/pdf'],
      ['a PNG', 'access.mfa', 'mfa-setting.png', PNG, 'image/png'],
      ['a text file', 'access.mfa', 'contacts.txt', TXT, 'text/plain; charset=utf-8'],
    ];

    it.each(GOOD)('stores %s with its sha256; vendor and reviewer download the same bytes as an attachment', async (_label, key, name, data, mime) => {
      const before = await snapshot(ctx);
      const res = await upload(key, file(name, data));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), questionKey: key, name, size: data.length, mime, sha256: sha256(data), uploadedAt: '2026-03-02T09:00:00.000Z' });

      // One new file under DATA_DIR/files, holding exactly these bytes.
      const after = await snapshot(ctx);
      expect(after.evidence).toBe(before.evidence + 1);
      const added = after.files.filter((f) => !before.files.includes(f));
      expect(added).toHaveLength(1);
      expect(sha256(readFileSync(path.join(filesDir, added[0])))).toBe(sha256(data));
      // evidence.upload; the first accepted file (the PDF) also moves the questionnaire from sent
      // to in progress (assessment.start): refused uploads above changed nothing, not even that.
      expect(after.audit).toBe(before.audit + (key === 'policy.written' ? 2 : 1));

      const disposition = `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
      const vendorCopy = await ctx.http.get(`/api/portal/evidence/${res.body.id}`).set(bearer(session)).buffer(true).parse(binary).expect(200);
      const reviewerCopy = await ctx.http.get(`/api/assessments/${assessmentId}/evidence/${res.body.id}`).set(bearer(reviewer.token)).buffer(true).parse(binary).expect(200);
      for (const copy of [vendorCopy, reviewerCopy]) {
        expect((copy.body as Buffer).equals(data)).toBe(true);
        expect(copy.headers['content-type']).toBe(mime);
        expect(copy.headers['content-disposition']).toBe(disposition);
        expect(copy.headers['x-content-type-options']).toBe('nosniff');
        expect(copy.headers['cache-control']).toBe('no-store');
      }
      // Procurement may read evidence too; a viewer may not.
      expect((await ctx.http.get(`/api/assessments/${assessmentId}/evidence/${res.body.id}`).set(bearer(procurement.token))).status).toBe(200);
      expectProblem(await ctx.http.get(`/api/assessments/${assessmentId}/evidence/${res.body.id}`).set(bearer(viewer.token)), 403, 'auth.forbidden');
    });

    it('lists the files on the question, and removing one hides it from the vendor but keeps the record', async () => {
      const view = await ctx.http.get('/api/portal/assessment').set(bearer(session)).expect(200);
      const q = view.body.sections.flatMap((s: { questions: any[] }) => s.questions).find((x: { key: string }) => x.key === 'policy.written');
      expect(q.files).toEqual([{ id: expect.any(String), name: '安全政策 2026.pdf', size: PDF.length, uploadedAt: '2026-03-02T09:00:00.000Z' }]);

      const before = await snapshot(ctx);
      await ctx.http.delete(`/api/portal/evidence/${q.files[0].id}`).set(bearer(session)).expect(204);
      expectProblem(await ctx.http.get(`/api/portal/evidence/${q.files[0].id}`).set(bearer(session)), 404, 'assessment.evidence_not_found');
      expectProblem(await ctx.http.delete(`/api/portal/evidence/${q.files[0].id}`).set(bearer(session)), 404, 'assessment.evidence_not_found');
      const after = await snapshot(ctx);
      expect(after.evidence).toBe(before.evidence);
      expect(after.audit).toBe(before.audit + 1);
    });
  });
});

/** Collects a response body as bytes, whatever its content type. */
function binary(res: Response, callback: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
  stream.on('error', (err: Error) => callback(err, Buffer.alloc(0)));
}
