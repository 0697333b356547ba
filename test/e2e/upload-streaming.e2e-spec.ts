import { readdirSync, existsSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { csrfTokenFor } from '../../src/auth/session-token';
import { uploadTempDir } from '../../src/storage/upload-reader';
import { createAssessment, listFiles, openPortal, PDF } from '../support/assessment-factory';
import { sessionCookie } from '../support/page-client';
import { StaffUser, TestContext } from '../support/test-app';

const BOUNDARY = '----vdp-stream-boundary-91c2';
const partHead = (name: string, filename?: string) =>
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n${filename ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n`);
const field = (name: string, value: string) => Buffer.concat([partHead(name), Buffer.from(`${value}\r\n`)]);

interface Sent {
  status: number;
  body: string;
  /** Bytes of the declared body that were written before the answer came. */
  sentWhenAnswered: number;
}

/**
 * A 25 MB multipart upload sent slowly (`head` (fields, then the file's part header), a pause of
 * a second, then 64 KB every 5 ms): returns as soon as the server answers, with how much had
 * been sent then.
 * A server that reads the whole body before answering would answer only after the last byte.
 */
function slowUpload(port: number, urlPath: string, headers: Record<string, string>, head: Buffer, fileBytes = 25 * 1024 * 1024): Promise<Sent> {
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const length = head.length + fileBytes + tail.length;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, method: 'POST', agent: false, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(length) } },
      (res) => {
        answered = true;
        const sentWhenAnswered = sent;
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body, sentWhenAnswered });
        });
      },
    );
    req.on('error', (err) => (answered ? undefined : reject(err)));
    req.write(head);
    sent += head.length;
    // The client pauses after the head, as a slow link would: a server that answers without
    // reading the body answers now, before a byte of the file (and no write of ours races its
    // closing the connection); one that reads the body first waits for all of it.
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = () => {
      if (answered || req.destroyed) return;
      if (sent >= head.length + fileBytes) {
        req.end(tail);
        return;
      }
      const n = Math.min(chunk.length, head.length + fileBytes - sent);
      req.write(chunk.subarray(0, n));
      sent += n;
      setTimeout(pump, 5);
    };
    setTimeout(pump, 1000);
  });
}

describe('uploads: the session is checked before the body is read, and files stream to disk', () => {
  let ctx: TestContext;
  let port: number;
  let staff: StaffUser;
  let portalSession: string;
  const big = 25 * 1024 * 1024;

  beforeAll(async () => {
    ctx = await TestContext.create();
    await ctx.app.listen(0, '127.0.0.1');
    port = (ctx.app.getHttpServer().address() as AddressInfo).port;
    staff = await ctx.newUser('admin');
    const vendor = await ctx.newVendor(staff.id);
    const sent = await createAssessment(ctx, staff.token, vendor, { modules: ['baseline-lite'] });
    portalSession = await openPortal(ctx, sent.token);
  });
  afterAll(async () => ctx.close());

  /** The temporary files left: the route removes its file right after its answer has gone, so a moment is allowed for that. */
  const tempFiles = async () => {
    const list = () => (existsSync(uploadTempDir(ctx.config.dataDir)) ? readdirSync(uploadTempDir(ctx.config.dataDir)) : []);
    for (let i = 0; i < 20 && list().length; i++) await new Promise((r) => setTimeout(r, 25));
    return list();
  };

  it.each([
    ['the portal evidence API', '/api/portal/answers/incident.plan/evidence'],
    ['the questionnaire import API', '/api/questionnaires/import'],
    ['the contract document API', `/api/contracts/00000000-0000-4000-8000-000000000000/document`],
    ['the portal upload page', '/portal/evidence'],
    ['the questionnaire import page', '/questionnaires/import'],
  ])('%s refuses an anonymous 25 MB upload (401, or the sign-in redirect of a page) before reading it', async (_label, urlPath) => {
    const res = await slowUpload(port, urlPath, {}, partHead('file', 'big.txt'));
    expect(res.status).toBe(urlPath.startsWith('/api') ? 401 : urlPath.startsWith('/portal') ? 401 : 303);
    // At most what sat in the socket buffers when the answer came: nowhere near the 25 MB.
    expect(res.sentWhenAnswered).toBeLessThan(big / 4);
    expect(await tempFiles()).toEqual([]);
  });

  it('answers 401 to a wrong bearer token, also before reading', async () => {
    const res = await slowUpload(port, '/api/portal/answers/incident.plan/evidence', { authorization: 'Bearer not-a-session' }, partHead('file', 'big.txt'));
    expect(res.status).toBe(401);
    expect(res.sentWhenAnswered).toBeLessThan(big / 4);
  });

  it('refuses a cookie session whose form does not show its CSRF token before the file, without reading the file', async () => {
    const res = await slowUpload(port, '/questionnaires/import', { cookie: sessionCookie(staff) }, partHead('file', 'big.csv'));
    expect(res.status).toBe(403);
    expect(res.sentWhenAnswered).toBeLessThan(big / 4);
    const wrong = await slowUpload(port, '/questionnaires/import', { cookie: sessionCookie(staff) }, Buffer.concat([field('_csrf', 'forged'), partHead('file', 'big.csv')]));
    expect(wrong.status).toBe(403);
    expect(wrong.sentWhenAnswered).toBeLessThan(big / 4);
    expect(await tempFiles()).toEqual([]);
  });

  it('checks the CSRF token before anything else on a route that takes no upload, multipart or not', async () => {
    const body = Buffer.concat([field('name', 'x'), Buffer.from(`--${BOUNDARY}--\r\n`)]);
    const res = await ctx.http.post('/logout').set('Cookie', sessionCookie(staff)).set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`).send(body);
    expect(res.status).toBe(403);
  });

  it('takes an authenticated upload to a temporary file, stores it and leaves no temporary file', async () => {
    const data = Buffer.concat([PDF, Buffer.alloc(3 * 1024 * 1024, 0x20)]);
    const body = Buffer.concat([partHead('file', 'policy.pdf'), data, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
    const res = await ctx.http
      .post('/api/portal/answers/incident.plan/evidence')
      .set('Authorization', `Bearer ${portalSession}`)
      .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(body);
    expect(res.status).toBe(201);
    expect(res.body.size).toBe(data.length);
    expect(await tempFiles()).toEqual([]);
    expect(listFiles(path.join(ctx.config.dataDir, 'files'))).toHaveLength(1);
  });

  it('takes a cookie-session page upload whose CSRF field comes before the file', async () => {
    const body = Buffer.concat([
      field('_csrf', csrfTokenFor(staff.token)),
      field('key', 'streamed'),
      field('version', '1.0.0'),
      field('titleEn', 'Streamed'),
      partHead('file', 'q.csv'),
      Buffer.from('key,section,text,type,options,weight,critical\r\nstreamed.policy,General,Is there a written policy?,yes_no,,1,false'),
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    const res = await ctx.http.post('/questionnaires/import').set('Cookie', sessionCookie(staff)).set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`).send(body);
    expect({ status: res.status, location: res.headers.location }).toEqual({ status: 303, location: '/questionnaires/streamed?notice=imported' });
    expect(await tempFiles()).toEqual([]);
  });
});
