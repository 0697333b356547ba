import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { ArchiveError, KeySource } from '../../src/backup/archive-crypto';
import { createBackup, restoreBackup, RestoreRefused, STORED_OBJECT_COLUMNS, logicalType, tablesOf, verifyBackup } from '../../src/backup/backup';
import { keyFromEnv, parseBackupArgs } from '../../src/cli/backup';
import { loadDemoData } from '../../src/cli/demo';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { resolveDataSourceOptions, sqliteFile } from '../../src/database/data-source-options';
import { AssessmentEntity } from '../../src/assessments/assessment.entity';
import { VendorEntity } from '../../src/vendors/vendor.entity';
import { listFiles } from '../support/assessment-factory';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { bearer, StaffUser, TestContext, vendorInput } from '../support/test-app';

const onMysql = !!process.env.DATABASE_URL;
/** The passphrase's key derivation at its lowest allowed cost, for speed; the CLI uses 128 MiB. */
const KEY: KeySource = { passphrase: 'a long backup passphrase 2026', scrypt: { N: 2 ** 14, r: 8, p: 1 } };
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every row of every table of the portal, as both kinds read alike (dates as instants, to the second). */
async function allRows(config: AppConfig): Promise<Record<string, unknown[]>> {
  const ds = await new DataSource({ ...(await resolveDataSourceOptions(config)), logging: false }).initialize();
  try {
    const out: Record<string, unknown[]> = {};
    for (const m of ds.entityMetadatas) {
      const order = m.primaryColumns.map((c) => ds.driver.escape(c.databaseName)).join(', ');
      const rows = (await ds.query(`SELECT * FROM ${ds.driver.escape(m.tableName)} ORDER BY ${order}`)) as Array<Record<string, unknown>>;
      out[m.tableName] = rows.map((r) =>
        Object.fromEntries(
          m.columns.map((c) => {
            const type = logicalType(ds, c);
            let v = r[c.databaseName];
            if (v !== null && v !== undefined && type === 'datetime') v = (v instanceof Date ? v.toISOString() : `${String(v).replace(' ', 'T').slice(0, 19)}Z`).slice(0, 19);
            if (v !== null && v !== undefined && type === 'date') v = v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
            if (type === 'boolean') v = v === true || v === 1 || v === '1';
            return [c.databaseName, v];
          }),
        ),
      );
    }
    return out;
  } finally {
    await ds.destroy();
  }
}

/** The stored files with their SHA-256. */
function files(config: AppConfig): Record<string, string> {
  const root = path.join(config.dataDir, 'files');
  return Object.fromEntries(listFiles(root).map((f) => [path.basename(f), sha256(readFileSync(path.join(root, f)))]));
}

/** An empty place to restore into: a new DATA_DIR, and on MySQL/MariaDB a new database (or SQLite when `kind` says so). */
async function emptyTarget(kind: 'same' | 'sqlite' | 'mysql' = 'same'): Promise<{ config: AppConfig; db: TestDatabase; dataDir: string; drop(): Promise<void> }> {
  const useMysql = kind === 'mysql' || (kind === 'same' && onMysql);
  const db = useMysql ? await createTestDatabase() : { drop: async () => undefined };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vdp-restore-'));
  const config = loadConfig({ DATA_DIR: dataDir, ...(db.url ? { DATABASE_URL: db.url } : {}) });
  return { config, db, dataDir, drop: async () => (await db.drop(), rmSync(dataDir, { recursive: true, force: true })) };
}

/** The tables a failed restore left in its target: none, on either kind. */
async function tablesLeft(target: { config: AppConfig; db: TestDatabase }): Promise<string[]> {
  const file = sqliteFile(target.config);
  if (!target.db.url && (!existsSync(file) || statSync(file).size === 0)) return [];
  const ds = await new DataSource({ ...(await resolveDataSourceOptions(target.config)), logging: false }).initialize();
  try {
    return await tablesOf(ds.createQueryRunner(), target.db.url ? 'mysql' : 'sqlite');
  } finally {
    await ds.destroy();
  }
}

describe('backup and restore', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let work: string;
  let archive: string;
  let completedId: string;
  let report: { sha: string; snapshot: string };
  /** The rows and files as they were when the archive was taken. */
  let source: { rows: Record<string, unknown[]>; files: Record<string, string> };

  beforeAll(async () => {
    ctx = await TestContext.create({}, new Date().toISOString());
    await loadDemoData(ctx.app, { password: 'demo password for the tests' });
    admin = await ctx.admin();
    work = mkdtempSync(path.join(tmpdir(), 'vdp-backup-'));
    archive = path.join(work, 'portal.vdpbak');
    completedId = (await ctx.dataSource.getRepository(AssessmentEntity).findOneByOrFail({ status: 'completed' })).id;
    const res = await ctx.http.get(`/api/assessments/${completedId}/report.pdf`).set(bearer(admin.token)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    report = { sha: sha256(res.body as Buffer), snapshot: String(res.headers['x-report-snapshot']) };
    if (res.status !== 200 || report.snapshot !== 'true') throw new Error(`the demo's completed assessment has no stored report (${res.status})`);
    await createBackup(ctx.config, archive, KEY);
    source = { rows: await allRows(ctx.config), files: files(ctx.config) };
  }, 120_000);
  afterAll(async () => {
    await ctx.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('writes an encrypted archive, 0600, that reads as nothing without the key', async () => {
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    const raw = readFileSync(archive);
    expect(raw.subarray(0, 8).toString('latin1')).toBe('VDPBAK1\n');
    // No vendor name nor contact address in clear.
    const vendor = await ctx.dataSource.getRepository(VendorEntity).findOneByOrFail({ name: 'Paycrest Payments' });
    expect(raw.includes(Buffer.from(vendor.name))).toBe(false);
    expect(raw.includes(Buffer.from(vendor.contactEmail))).toBe(false);
    const summary = await verifyBackup(archive, KEY);
    expect(summary.manifest.tables.vendors.rows).toBeGreaterThanOrEqual(13);
    expect(summary.manifest.files.count).toBe(Object.keys(files(ctx.config)).length);
    expect(summary.manifest.files.count).toBeGreaterThan(0);
  });

  it('restores into an empty database: every row and every file equal, and the stored report has the same SHA-256', async () => {
    const target = await emptyTarget();
    let restored: TestContext | null = null;
    try {
      await restoreBackup(target.config, archive, KEY);
      expect(await allRows(target.config)).toEqual(source.rows);
      expect(files(target.config)).toEqual(source.files);
      // The portal started on the restored data (it then owns it: closing it removes it).
      restored = await TestContext.create({}, ctx.clock.now().toISOString(), { db: target.db, dataDir: target.dataDir });
      {
        const token = await restored.login(admin.email, 'correct horse battery staple');
        const res = await restored.http.get(`/api/assessments/${completedId}/report.pdf`).set(bearer(token)).buffer(true).parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
        expect({ status: res.status, snapshot: res.headers['x-report-snapshot'], sha: sha256(res.body as Buffer) }).toEqual({ status: 200, snapshot: 'true', sha: report.sha });
      }
    } finally {
      if (restored) await restored.close();
      else await target.drop();
    }
  });

  it('refuses a target that is not empty, and changes nothing there', async () => {
    const before = await allRows(ctx.config);
    await expect(restoreBackup(ctx.config, archive, KEY)).rejects.toThrow(RestoreRefused);
    expect(await allRows(ctx.config)).toEqual(before);
  });

  describe('a damaged archive, or the wrong key, restores nothing', () => {
    const damaged = (name: string, change: (b: Buffer) => Buffer) => {
      const file = path.join(work, name);
      writeFileSync(file, change(readFileSync(archive)));
      return file;
    };
    it.each([
      ['one byte changed in the middle', () => damaged('flipped.vdpbak', (b) => ((b[Math.floor(b.length / 2)] ^= 0x01), b)), KEY, /damaged/],
      ['truncated', () => damaged('cut.vdpbak', (b) => b.subarray(0, b.length - 100)), KEY, /truncated|damaged/],
      ['cut at a segment boundary', () => damaged('short.vdpbak', (b) => b.subarray(0, Math.min(b.length - 1, 1024 * 1024 + 200))), KEY, /truncated|damaged/],
      ['another kind of file', () => damaged('text.vdpbak', () => Buffer.from('hello, this is not an archive')), KEY, /not a backup archive/],
      ['the wrong passphrase', () => archive, { passphrase: 'not the passphrase at all', scrypt: { N: 2 ** 14, r: 8, p: 1 } } as KeySource, /wrong passphrase/],
      ['a key file for a passphrase archive', () => archive, { keyFile: Buffer.alloc(32, 7) } as KeySource, /BACKUP_PASSPHRASE/],
    ])('%s: a clear error, and an empty target stays empty', async (_label, file, key, message) => {
      await expect(verifyBackup(file(), key)).rejects.toThrow(message);
      const target = await emptyTarget();
      try {
        const err = await restoreBackup(target.config, file(), key).catch((e: Error) => e);
        expect(err).toBeInstanceOf(ArchiveError);
        expect((err as Error).message).toMatch(message);
        expect(listFiles(path.join(target.dataDir, 'files'))).toEqual([]);
        expect(await tablesLeft(target)).toEqual([]);
      } finally {
        await target.drop();
      }
    });
  });

  it('takes a consistent snapshot while saves run: each vendor saved comes with its audit entry, and the restore is whole', async () => {
    let stop = false;
    let saved = 0;
    const saves = (async () => {
      for (let i = 0; !stop && i < 400; i++) {
        const res = await ctx.http.post('/api/vendors').set(bearer(admin.token)).send({ ...vendorInput(admin.id, 10_000 + i), name: `During backup ${i}` });
        if (res.status === 201) saved++;
      }
    })();
    const during = path.join(work, 'during.vdpbak');
    await new Promise((r) => setTimeout(r, 50));
    await createBackup(ctx.config, during, KEY);
    stop = true;
    await saves;
    expect(saved).toBeGreaterThan(0);
    const target = await emptyTarget();
    try {
      await restoreBackup(target.config, during, KEY);
      const rows = await allRows(target.config);
      const names = (rows.vendors as Array<{ id: string; name: string }>).filter((v) => v.name.startsWith('During backup'));
      const audited = new Set((rows.audit_events as Array<{ action: string; target_id: string }>).filter((e) => e.action === 'vendor.create').map((e) => e.target_id));
      expect(names.every((v) => audited.has(v.id))).toBe(true);
      // Whatever was saved after the snapshot is not there, and nothing half of it is.
      const ids = new Set((rows.vendors as Array<{ id: string }>).map((v) => v.id));
      expect([...audited].every((id) => ids.has(id))).toBe(true);
    } finally {
      await target.drop();
    }
  }, 120_000);

  (onMysql ? describe : describe.skip)('between the kinds', () => {
    it('moves MySQL/MariaDB to SQLite and back, every row and file equal', async () => {
      const sqlite = await emptyTarget('sqlite');
      const mysql = await emptyTarget('mysql');
      try {
        await restoreBackup(sqlite.config, archive, KEY);
        expect(await allRows(sqlite.config)).toEqual(source.rows);
        expect(files(sqlite.config)).toEqual(source.files);
        const back = path.join(work, 'from-sqlite.vdpbak');
        const summary = await createBackup(sqlite.config, back, KEY);
        expect(summary.header.source).toBe('sqlite');
        await restoreBackup(mysql.config, back, KEY);
        expect(await allRows(mysql.config)).toEqual(source.rows);
        expect(files(mysql.config)).toEqual(source.files);
      } finally {
        await sqlite.drop();
        await mysql.drop();
      }
    }, 120_000);
  });

  it('lists every column that holds a stored file', () => {
    const keyColumns = ctx.dataSource.entityMetadatas.flatMap((m) => m.columns.filter((c) => /(storage|document)_key$/.test(c.databaseName)).map((c) => `${m.tableName}.${c.databaseName}`));
    expect(keyColumns.sort()).toEqual(Object.entries(STORED_OBJECT_COLUMNS).flatMap(([t, cols]) => cols.map((c) => `${t}.${c}`)).sort());
  });
});

describe('npm run backup / restore: arguments and keys', () => {
  it('reads its commands', () => {
    expect(parseBackupArgs('backup', ['--out', 'x.vdpbak'])).toEqual({ command: 'backup', out: 'x.vdpbak' });
    expect(parseBackupArgs('backup', ['--verify', 'x.vdpbak'])).toEqual({ command: 'verify', file: 'x.vdpbak' });
    expect(parseBackupArgs('restore', ['x.vdpbak'])).toEqual({ command: 'restore', file: 'x.vdpbak' });
    for (const bad of [[], ['--out'], ['--in', 'x'], ['--out', 'a', 'b']]) expect(() => parseBackupArgs('backup', bad)).toThrow(/usage/);
    expect(() => parseBackupArgs('restore', [])).toThrow(/usage/);
  });

  it('takes exactly one key, and a passphrase long enough to write with', () => {
    expect(() => keyFromEnv({}, true)).toThrow(/BACKUP_PASSPHRASE/);
    expect(() => keyFromEnv({ BACKUP_PASSPHRASE: 'short' }, true)).toThrow(/at least 12/);
    expect(keyFromEnv({ BACKUP_PASSPHRASE: 'short' }, false)).toEqual({ passphrase: 'short' });
    expect(() => keyFromEnv({ BACKUP_PASSPHRASE: 'a long enough one', BACKUP_KEY_FILE: '/x' }, true)).toThrow(/not both/);
  });
});
