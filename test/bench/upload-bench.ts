/**
 * Issue 13's upload rows: the app's resident memory while 16 clients at once send 25 MB uploads,
 * first without a session (the app must answer 401 without reading the bodies), then with a
 * vendor's portal session (the app streams each file to disk). Memory is VmRSS of the app
 * process, sampled every 20 ms from /proc.
 */
import * as http from 'node:http';
import type { AppProcess } from './app-process';

const CONCURRENT = 16;
const SIZE = 25 * 1024 * 1024;
const BOUNDARY = '----vdp-bench-upload';

export interface UploadFlood {
  label: string;
  statuses: string;
  seconds: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
}

export interface UploadBenchResult {
  floods: UploadFlood[];
}

interface Options {
  app: AppProcess;
  adminToken: string;
  log: (line: string) => void;
}

export const UPLOAD_CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** A multipart body of one 25 MB PDF-looking file: built once, sent by every client. */
export function uploadBody(): Buffer {
  const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="evidence.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  const file = Buffer.alloc(SIZE, 0x20);
  file.write('%PDF-1.7\n', 0, 'latin1');
  return Buffer.concat([head, file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
}

function post(baseUrl: string, path: string, headers: Record<string, string>, data: Buffer): Promise<number> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false, headers: { ...headers, 'content-type': UPLOAD_CONTENT_TYPE, 'content-length': String(data.length) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    // The whole body is written whatever the answer: a client that does not stop (a flood).
    req.on('error', () => resolve(0));
    req.end(data);
  });
}

async function json(baseUrl: string, path: string, init: { method?: string; token?: string; body?: unknown }): Promise<any> {
  const res = await fetch(new URL(path, baseUrl), {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function flood(app: AppProcess, label: string, requests: Array<() => Promise<number>>): Promise<UploadFlood> {
  await new Promise((r) => setTimeout(r, 1000));
  const rssBeforeMb = app.memory().rssMb;
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, app.memory().rssMb)), 20);
  const started = Date.now();
  const codes = await Promise.all(requests.map((r) => r()));
  const seconds = (Date.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 2000));
  clearInterval(sampler);
  const rssAfterMb = app.memory().rssMb;
  const counts = new Map<number, number>();
  for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
  const statuses = [...counts].map(([c, n]) => `${n}×${c}`).join(', ');
  return { label, statuses, seconds, rssBeforeMb, rssPeakMb: Math.max(rssPeakMb, rssAfterMb), rssAfterMb };
}

/**
 * A new vendor sent the `baseline-lite` questionnaire, its portal session opened: the session and
 * the keys of the questions that take files (each takes 20).
 */
export async function portalWithFileQuestions(base: string, adminToken: string, label: string): Promise<{ portal: string; keys: string[] }> {
  const ownerId = (await json(base, '/api/auth/session', { token: adminToken })).id as string;
  const vendor = await json(base, '/api/vendors', {
    method: 'POST',
    token: adminToken,
    body: {
      name: `${label} ${Date.now()}`,
      legalEntity: `${label} Ltd.`,
      country: 'DE',
      website: 'https://uploads.example',
      services: 'Evidence uploads',
      category: 'logistics',
      ownerId,
      contact: { name: 'Uma Upload', email: 'uma@uploads.example', phone: '+49 30 5550100', language: 'en' },
      profile: { dataCategories: ['contact'], volumeBand: '1k_100k', accessLevel: 'file_exchange', criticality: 'moderate', crossBorder: false, jurisdictions: ['EU'] },
    },
  });
  const due = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
  const sent = await json(base, '/api/assessments', { method: 'POST', token: adminToken, body: { vendorId: vendor.id, dueDate: due, modules: ['baseline-lite'] } });
  const linkToken = /\/portal\/t\/([A-Za-z0-9_-]+)$/.exec(sent.link.url as string)![1];
  const portal = (await json(base, '/api/portal/session', { method: 'POST', body: { token: linkToken } })).token as string;
  const view = await json(base, '/api/portal/assessment', { token: portal });
  const keys: string[] = [];
  for (const s of view.sections ?? []) for (const q of s.questions ?? []) if (q.visible !== false && (q.type === 'file' || (q.evidence && q.evidence !== 'none'))) keys.push(q.key);
  if (!keys.length) throw new Error('the bench questionnaire has no question that takes files');
  return { portal, keys };
}

export async function runUploadBench(o: Options): Promise<UploadBenchResult> {
  const base = o.app.baseUrl;
  const { portal, keys } = await portalWithFileQuestions(base, o.adminToken, 'Upload bench');
  const data = uploadBody();
  o.log(`uploads: ${CONCURRENT} clients at once, ${SIZE / 1024 / 1024} MB each, to ${keys.length} question(s)`);
  const floods: UploadFlood[] = [];
  floods.push(
    await flood(
      o.app,
      'anonymous (no session)',
      Array.from({ length: CONCURRENT }, (_, i) => () => post(base, `/api/portal/answers/${encodeURIComponent(keys[i % keys.length])}/evidence`, {}, data)),
    ),
  );
  floods.push(
    await flood(
      o.app,
      'portal session',
      Array.from({ length: CONCURRENT }, (_, i) => () => post(base, `/api/portal/answers/${encodeURIComponent(keys[i % keys.length])}/evidence`, { authorization: `Bearer ${portal}` }, data)),
    ),
  );
  for (const f of floods) {
    o.log(
      `uploads ${f.label.padEnd(24)} ${f.statuses.padEnd(10)} in ${f.seconds.toFixed(1)} s; RSS ${f.rssBeforeMb.toFixed(0)} -> peak ${f.rssPeakMb.toFixed(0)} -> ${f.rssAfterMb.toFixed(0)} MB (+${(f.rssPeakMb - f.rssBeforeMb).toFixed(0)} MB at the peak)`,
    );
  }
  return { floods };
}
