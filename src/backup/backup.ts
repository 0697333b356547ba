import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource, DataSourceOptions, EntityMetadata, QueryRunner } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { AppConfig } from '../config/app-config';
import { databaseKind, MIGRATIONS, resolveDataSourceOptions, sqliteFile } from '../database/data-source-options';
import { MAX_BOUND_PARAMETERS } from '../database/statement-size';
import { isEvidenceKey } from '../storage/evidence-store';
import { ArchiveError, decryptingStream, encryptingStream, KeySource } from './archive-crypto';
import { ArchiveRecord, json, readRecords, record } from './archive-records';
import { PortableValue, portableValue, targetValue, TargetKind } from './table-values';

/** Columns that hold the key of a stored object (DATA_DIR/files): the files a backup carries. */
export const STORED_OBJECT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  evidence_files: ['storage_key'],
  contracts: ['document_key'],
  report_snapshots: ['storage_key'],
};

const ROWS_PER_RECORD = 500;
const FILE_PIECE = 1024 * 1024;
/** A stored file referenced by the snapshot can disappear before it is copied (a contract's document replaced meanwhile): the backup starts again. */
const ATTEMPTS = 3;

export interface BackupHeader {
  format: 'vdp-backup';
  createdAt: string;
  source: TargetKind;
  /** Names of the migrations applied, oldest first: the schema version. */
  migrations: string[];
}

export interface BackupManifest {
  tables: Record<string, { rows: number; sha256: string }>;
  files: { count: number; bytes: number };
}

export interface Progress {
  phase: 'tables' | 'files' | 'verify' | 'restore';
  done: number;
  total: number;
  bytes: number;
}

export interface BackupSummary {
  header: BackupHeader;
  manifest: BackupManifest;
  archiveBytes: number;
}

interface TableShape {
  name: string;
  columns: Array<{ name: string; type: string }>;
  primary: string[];
}

/**
 * A column's type as the entity declares it, the same on both kinds (MySQL's driver calls a
 * boolean `tinyint`): boolean, datetime, date, or the database type.
 */
export function logicalType(ds: DataSource, c: ColumnMetadata): string {
  const t = c.type;
  if (t === Boolean || t === 'boolean' || t === 'bool') return 'boolean';
  if (t === Date || t === 'datetime' || t === 'timestamp') return 'datetime';
  if (t === 'date') return 'date';
  return String(ds.driver.normalizeType(c)).toLowerCase();
}

function tableShapes(ds: DataSource): TableShape[] {
  return ds.entityMetadatas
    .map((m: EntityMetadata) => ({
      name: m.tableName,
      columns: m.columns.map((c) => ({ name: c.databaseName, type: logicalType(ds, c) })),
      primary: m.primaryColumns.map((c) => c.databaseName),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function kindOf(ds: DataSource): TargetKind {
  return ds.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const ds = new DataSource({ ...options, migrationsRun: false, logging: false });
  return ds.initialize();
}

const sha = () => createHash('sha256');

// ------------------------------------------------------------------------------------------
// backup

/**
 * Writes an encrypted archive of the database (a consistent snapshot, taken while the portal
 * serves writes: one read transaction on SQLite's WAL, `START TRANSACTION WITH CONSISTENT
 * SNAPSHOT` on MySQL/MariaDB) and of every stored file it references, with a manifest. The
 * archive is written beside `out` and renamed into place once complete.
 */
export async function createBackup(config: AppConfig, out: string, key: KeySource, progress?: (p: Progress) => void): Promise<BackupSummary> {
  const ds = await openDataSource(await resolveDataSourceOptions(config));
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeArchive(ds, config, out, key, progress);
      } catch (err) {
        if (!(err instanceof MissingFileError) || attempt >= ATTEMPTS) throw err;
      }
    }
  } finally {
    await ds.destroy();
  }
}

class MissingFileError extends Error {}

async function writeArchive(ds: DataSource, config: AppConfig, out: string, key: KeySource, progress?: (p: Progress) => void): Promise<BackupSummary> {
  const partial = `${out}.partial-${randomBytes(4).toString('hex')}`;
  const filesRoot = path.join(config.dataDir, 'files');
  let header!: BackupHeader;
  const manifest: BackupManifest = { tables: {}, files: { count: 0, bytes: 0 } };
  const shapes = tableShapes(ds);
  const kind = kindOf(ds);

  async function* content(): AsyncGenerator<Buffer> {
    const runner = ds.createQueryRunner();
    await runner.connect();
    const keys = new Set<string>();
    try {
      await runner.query(kind === 'sqlite' ? 'BEGIN' : 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
      const applied = (await runner.query('SELECT name FROM migrations ORDER BY timestamp ASC, id ASC')) as Array<{ name: string }>;
      header = { format: 'vdp-backup', createdAt: new Date().toISOString(), source: kind, migrations: applied.map((m) => m.name) };
      checkSchema(header.migrations);
      yield record('H', header);
      let t = 0;
      for (const shape of shapes) {
        progress?.({ phase: 'tables', done: t++, total: shapes.length, bytes: 0 });
        yield record('T', { name: shape.name, columns: shape.columns });
        const hash = sha();
        let rows = 0;
        for await (const batch of readTable(runner, ds, shape)) {
          const portable = batch.map((row) => shape.columns.map((c) => portableValue(row[c.name], c.type)));
          for (const stored of STORED_OBJECT_COLUMNS[shape.name] ?? []) {
            const i = shape.columns.findIndex((c) => c.name === stored);
            for (const row of portable) if (typeof row[i] === 'string' && isEvidenceKey(row[i])) keys.add(row[i] as string);
          }
          const body = Buffer.from(JSON.stringify(portable), 'utf8');
          hash.update(body);
          rows += portable.length;
          yield record('R', body);
        }
        manifest.tables[shape.name] = { rows, sha256: hash.digest('hex') };
      }
    } finally {
      await runner.query('COMMIT').catch(() => undefined);
      await runner.release();
    }
    let f = 0;
    for (const k of [...keys].sort()) {
      progress?.({ phase: 'files', done: f++, total: keys.size, bytes: manifest.files.bytes });
      const file = path.join(filesRoot, k.slice(0, 2), k);
      let size: number;
      try {
        size = (await stat(file)).size;
      } catch {
        throw new MissingFileError(`stored file ${k} is gone`);
      }
      const hash = sha();
      yield record('F', { key: k, size });
      let read = 0;
      for await (const piece of createReadStream(file, { highWaterMark: FILE_PIECE })) {
        hash.update(piece as Buffer);
        read += (piece as Buffer).length;
        yield record('D', piece as Buffer);
      }
      if (read !== size) throw new MissingFileError(`stored file ${k} changed while it was copied`);
      yield record('E', { sha256: hash.digest('hex') });
      manifest.files.count++;
      manifest.files.bytes += size;
    }
    yield record('M', manifest);
  }

  try {
    await mkdir(path.dirname(path.resolve(out)), { recursive: true });
    await pipeline(Readable.from(content()), await encryptingStream(key), createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
    await chmod(partial, 0o600);
    await rename(partial, out);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return { header, manifest, archiveBytes: (await stat(out)).size };
}

/** The rows of a table in primary-key order, a batch at a time (keyset paging: no OFFSET). */
async function* readTable(runner: QueryRunner, ds: DataSource, shape: TableShape): AsyncGenerator<Array<Record<string, unknown>>> {
  const q = (name: string) => ds.driver.escape(name);
  const cols = shape.columns.map((c) => q(c.name)).join(', ');
  const order = shape.primary.map(q).join(', ');
  const after = shape.primary.length === 1 ? `${q(shape.primary[0])} > ?` : `(${shape.primary.map(q).join(', ')}) > (${shape.primary.map(() => '?').join(', ')})`;
  let last: unknown[] | null = null;
  for (;;) {
    const rows = (await runner.query(
      `SELECT ${cols} FROM ${q(shape.name)}${last ? ` WHERE ${after}` : ''} ORDER BY ${order} LIMIT ${ROWS_PER_RECORD}`,
      last ?? [],
    )) as Array<Record<string, unknown>>;
    if (!rows.length) return;
    yield rows;
    if (rows.length < ROWS_PER_RECORD) return;
    const end = rows[rows.length - 1];
    last = shape.primary.map((p) => end[p]);
  }
}

/** The archive's schema must be one this portal knows: its migrations, in order, or the first of them. */
function checkSchema(migrations: string[]): number {
  const known = MIGRATIONS.map((m) => m.name);
  for (let i = 0; i < migrations.length; i++) {
    if (known[i] !== migrations[i]) {
      throw new ArchiveError(
        known.includes(migrations[i])
          ? 'The schema of this archive does not match this version of the portal.'
          : `This archive comes from a newer version of the portal (migration ${migrations[i]} is unknown here): restore it with that version.`,
      );
    }
  }
  return migrations.length;
}

// ------------------------------------------------------------------------------------------
// reading an archive

interface ReadHandlers {
  header?(h: BackupHeader): Promise<void> | void;
  table?(shape: { name: string; columns: Array<{ name: string; type: string }> }): Promise<void> | void;
  rows?(rows: PortableValue[][]): Promise<void> | void;
  file?(f: { key: string; size: number }): Promise<void> | void;
  data?(piece: Buffer): Promise<void> | void;
  fileEnd?(): Promise<void> | void;
}

/**
 * Reads an archive through, checking everything it can without a database: every segment
 * authenticated, every file's size and SHA-256, every table's rows against the manifest.
 */
async function readArchive(file: string, key: KeySource, on: ReadHandlers, progress?: (p: Progress) => void): Promise<BackupSummary> {
  const archiveBytes = (await stat(file)).size;
  let read = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _e, done) {
      read += chunk.length;
      done(null, chunk);
    },
  });
  const plain = createReadStream(file).pipe(counter).pipe(decryptingStream(key));
  const errors: Error[] = [];
  for (const s of [counter, plain]) s.on('error', (e: Error) => errors.push(e));

  let header: BackupHeader | null = null;
  let manifest: BackupManifest | null = null;
  const tables: Record<string, { rows: number; hash: ReturnType<typeof sha> }> = {};
  let current: string | null = null;
  let openFile: { key: string; size: number; read: number; hash: ReturnType<typeof sha> } | null = null;
  let files = 0;
  let bytes = 0;
  const expect = (ok: boolean, what: string) => {
    if (!ok) throw new ArchiveError(`The archive content is damaged: ${what}.`);
  };

  try {
    for await (const r of readRecords(plain as AsyncIterable<Buffer>) as AsyncGenerator<ArchiveRecord>) {
      expect(!manifest, 'records after the manifest');
      if (r.type !== 'H') expect(!!header, 'no header');
      switch (r.type) {
        case 'H':
          expect(!header, 'two headers');
          header = json<BackupHeader>(r);
          expect(header.format === 'vdp-backup' && Array.isArray(header.migrations), 'a header of another kind');
          checkSchema(header.migrations);
          await on.header?.(header);
          break;
        case 'T': {
          expect(!openFile, 'a table inside a file');
          const t = json<{ name: string; columns: Array<{ name: string; type: string }> }>(r);
          current = t.name;
          tables[t.name] = { rows: 0, hash: sha() };
          await on.table?.(t);
          break;
        }
        case 'R': {
          expect(current !== null && !openFile, 'rows outside a table');
          tables[current!].hash.update(r.body);
          const rows = json<PortableValue[][]>(r);
          tables[current!].rows += rows.length;
          await on.rows?.(rows);
          break;
        }
        case 'F': {
          expect(!openFile, 'a file inside a file');
          const f = json<{ key: string; size: number }>(r);
          expect(isEvidenceKey(f.key) && Number.isInteger(f.size) && f.size >= 0, 'a file entry');
          openFile = { ...f, read: 0, hash: sha() };
          await on.file?.(f);
          break;
        }
        case 'D':
          expect(!!openFile, 'file data outside a file');
          openFile!.hash.update(r.body);
          openFile!.read += r.body.length;
          await on.data?.(r.body);
          break;
        case 'E': {
          expect(!!openFile, 'a file end outside a file');
          const { sha256 } = json<{ sha256: string }>(r);
          expect(openFile!.read === openFile!.size && openFile!.hash.digest('hex') === sha256, `file ${openFile!.key} (size or SHA-256)`);
          files++;
          bytes += openFile!.size;
          openFile = null;
          await on.fileEnd?.();
          progress?.({ phase: 'verify', done: read, total: archiveBytes, bytes });
          break;
        }
        case 'M':
          manifest = json<BackupManifest>(r);
          break;
      }
    }
  } catch (err) {
    throw errors.find((e) => e instanceof ArchiveError) ?? (err instanceof ArchiveError ? err : errors[0] ?? err);
  }
  if (errors.length) throw errors[0];
  expect(!!header && !!manifest && !openFile, 'it ends before its manifest (truncated)');
  for (const [name, t] of Object.entries(manifest!.tables)) {
    expect(!!tables[name] && tables[name].rows === t.rows && tables[name].hash.digest('hex') === t.sha256, `table ${name}`);
  }
  expect(Object.keys(tables).length === Object.keys(manifest!.tables).length, 'a table missing from the manifest');
  expect(manifest!.files.count === files && manifest!.files.bytes === bytes, 'the files');
  return { header: header!, manifest: manifest!, archiveBytes };
}

/** Checks an archive through without restoring it. */
export function verifyBackup(file: string, key: KeySource, progress?: (p: Progress) => void): Promise<BackupSummary> {
  return readArchive(file, key, {}, progress);
}

// ------------------------------------------------------------------------------------------
// restore

export class RestoreRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefused';
  }
}

/**
 * Restores an archive into an empty database of either kind (SQLite in DATA_DIR, or the
 * MySQL/MariaDB database of DATABASE_URL) and an empty DATA_DIR/files. The archive is verified
 * first, whole: a damaged, truncated or wrongly keyed one restores nothing. The schema is made
 * by the archive's own migrations, the rows and files go in, then any newer migration runs.
 * On SQLite everything is written beside the target and moved into place at the end; on
 * MySQL/MariaDB a failure drops what was made.
 */
export async function restoreBackup(config: AppConfig, file: string, key: KeySource, progress?: (p: Progress) => void): Promise<BackupSummary> {
  const summary = await verifyBackup(file, key, progress);
  const kind: TargetKind = databaseKind(config) === 'sqlite' ? 'sqlite' : 'mysql';
  const filesRoot = path.join(config.dataDir, 'files');
  if (existsSync(filesRoot) && readdirSync(filesRoot).length) {
    throw new RestoreRefused(`${filesRoot} is not empty: restore into a new DATA_DIR.`);
  }
  const staging = path.join(config.dataDir, `files.restoring-${randomBytes(4).toString('hex')}`);
  const options = await resolveDataSourceOptions(config);
  const target = kind === 'sqlite' ? sqliteFile(config) : null;
  const tempDb = target ? `${target}.restoring-${randomBytes(4).toString('hex')}` : null;
  if (target && existsSync(target) && (await stat(target)).size > 0) {
    throw new RestoreRefused(`${target} already exists: restore into a new DATA_DIR (or move the old database away first).`);
  }
  const k = summary.header.migrations.length;
  const ds = await openDataSource({ ...options, ...(tempDb ? { database: tempDb } : {}), migrations: MIGRATIONS.slice(0, k) } as DataSourceOptions);
  let made = false;
  try {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      const existing = await tablesOf(runner, kind);
      if (existing.length) throw new RestoreRefused(`The target database is not empty (it has ${existing.length} table(s), e.g. ${existing[0]}): restore into a new, empty database.`);
      made = true;
      await ds.runMigrations({ transaction: 'each' });
      await restoreContent(ds, runner, kind, file, key, staging, progress);
    } finally {
      await runner.release();
    }
    await ds.destroy();
    // Newer migrations of this portal, over the restored data.
    const upgrade = await openDataSource({ ...options, ...(tempDb ? { database: tempDb } : {}) } as DataSourceOptions);
    try {
      await upgrade.runMigrations({ transaction: 'each' });
    } finally {
      await upgrade.destroy();
    }
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    await rm(filesRoot, { recursive: true, force: true });
    if (existsSync(staging)) await rename(staging, filesRoot);
    if (tempDb && target) {
      for (const suffix of ['-wal', '-shm']) await rm(`${tempDb}${suffix}`, { force: true });
      await rename(tempDb, target);
      await chmod(target, 0o600);
    }
    return summary;
  } catch (err) {
    if (ds.isInitialized) {
      if (made && kind === 'mysql') await dropAll(ds).catch(() => undefined);
      await ds.destroy().catch(() => undefined);
    }
    await rm(staging, { recursive: true, force: true });
    if (tempDb) for (const suffix of ['', '-wal', '-shm']) await rm(`${tempDb}${suffix}`, { force: true });
    throw err;
  }
}

async function restoreContent(ds: DataSource, runner: QueryRunner, kind: TargetKind, file: string, key: KeySource, staging: string, progress?: (p: Progress) => void): Promise<void> {
  const q = (name: string) => ds.driver.escape(name);
  const known = new Map(tableShapes(ds).map((s) => [s.name, s]));
  await runner.query(kind === 'sqlite' ? 'PRAGMA foreign_keys = OFF' : 'SET FOREIGN_KEY_CHECKS = 0');
  await runner.startTransaction();
  let table: { name: string; columns: Array<{ name: string; type: string }> } | null = null;
  let out: { stream: ReturnType<typeof createWriteStream>; path: string } | null = null;
  try {
    await readArchive(
      file,
      key,
      {
        table(t) {
          const shape = known.get(t.name);
          if (!shape) throw new ArchiveError(`The archive has a table this portal does not know: ${t.name}.`);
          const missing = shape.columns.filter((c) => !t.columns.some((x) => x.name === c.name));
          if (missing.length) throw new ArchiveError(`The archive's table ${t.name} lacks column(s) ${missing.map((c) => c.name).join(', ')}.`);
          table = t;
        },
        async rows(rows) {
          const t = table!;
          const per = Math.max(1, Math.floor(MAX_BOUND_PARAMETERS / t.columns.length));
          for (let i = 0; i < rows.length; i += per) {
            const slice = rows.slice(i, i + per);
            const params = slice.flatMap((row) => row.map((v, j) => targetValue(v, t.columns[j].type, kind)));
            const values = slice.map(() => `(${t.columns.map(() => '?').join(', ')})`).join(', ');
            await runner.query(`INSERT INTO ${q(t.name)} (${t.columns.map((c) => q(c.name)).join(', ')}) VALUES ${values}`, params);
          }
        },
        async file(f) {
          const dir = path.join(staging, f.key.slice(0, 2));
          await mkdir(dir, { recursive: true, mode: 0o700 });
          const p = path.join(dir, f.key);
          out = { stream: createWriteStream(p, { flags: 'wx', mode: 0o600 }), path: p };
          await new Promise<void>((resolve, reject) => out!.stream.once('open', () => resolve()).once('error', reject));
        },
        async data(piece) {
          if (!out!.stream.write(piece)) await new Promise<void>((resolve) => out!.stream.once('drain', () => resolve()));
        },
        async fileEnd() {
          const s = out!.stream;
          await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
          out = null;
        },
      },
      progress ? (p) => progress({ ...p, phase: 'restore' }) : undefined,
    );
    if (kind === 'sqlite') {
      const broken = (await runner.query('PRAGMA foreign_key_check')) as unknown[];
      if (broken.length) throw new ArchiveError(`The archive's rows break ${broken.length} foreign key(s).`);
    }
    await runner.commitTransaction();
  } catch (err) {
    if (out) (out as { stream: ReturnType<typeof createWriteStream> }).stream.destroy();
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await runner.query(kind === 'sqlite' ? 'PRAGMA foreign_keys = ON' : 'SET FOREIGN_KEY_CHECKS = 1').catch(() => undefined);
  }
}

/** The tables of the database in use (not of the whole server). */
export async function tablesOf(runner: QueryRunner, kind: TargetKind): Promise<string[]> {
  const rows = (await runner.query(
    kind === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
  )) as Array<{ name?: string; NAME?: string; TABLE_NAME?: string }>;
  return rows.map((r) => String(r.name ?? r.NAME ?? r.TABLE_NAME));
}

async function dropAll(ds: DataSource): Promise<void> {
  const runner = ds.createQueryRunner();
  try {
    await runner.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const t of await tablesOf(runner, 'mysql')) await runner.query(`DROP TABLE IF EXISTS ${ds.driver.escape(t)}`);
    await runner.query('SET FOREIGN_KEY_CHECKS = 1');
  } finally {
    await runner.release();
  }
}
