/**
 * Issue 13's backup rows: `npm run backup`, `--verify` and `npm run restore` (the compiled CLI
 * as child processes) on the bench register, with its evidence brought to 1 GB by uploads of
 * 25 MB files. Each row is the command's wall time and its peak resident memory (as the CLI
 * reports it). The restore goes into a fresh SQLite DATA_DIR or a fresh MySQL/MariaDB database.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import type { AppProcess } from './app-process';
import { portalWithFileQuestions, UPLOAD_CONTENT_TYPE, uploadBody } from './upload-bench';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '../../src/cli/backup.js');
const RESTORE = path.resolve(__dirname, '../../src/cli/restore.js');
const TARGET_BYTES = 1024 * 1024 * 1024;
const PASSPHRASE = 'bench passphrase, not a secret';

export interface BackupBenchRow {
  step: 'backup' | 'verify' | 'restore';
  seconds: number;
  peakMb: number;
}

export interface BackupBenchResult {
  evidenceMb: number;
  files: number;
  archiveMb: number;
  rows: BackupBenchRow[];
}

interface Options {
  app: AppProcess;
  dataDir: string;
  databaseUrl?: string;
  adminToken: string;
  log: (line: string) => void;
}

function storedBytes(dataDir: string): { bytes: number; files: number } {
  const root = path.join(dataDir, 'files');
  let bytes = 0;
  let files = 0;
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(path.join(root, dir.name))) {
      bytes += statSync(path.join(root, dir.name, f)).size;
      files++;
    }
  }
  return { bytes, files };
}

/** Uploads 25 MB PDFs through the portal until the store holds 1 GB. */
async function fillEvidence(o: Options): Promise<void> {
  const base = o.app.baseUrl;
  const body = uploadBody();
  while (storedBytes(o.dataDir).bytes < TARGET_BYTES) {
    const { portal, keys } = await portalWithFileQuestions(base, o.adminToken, 'Backup bench');
    for (const key of keys) {
      for (let i = 0; i < 20 && storedBytes(o.dataDir).bytes < TARGET_BYTES; i++) {
        const res = await fetch(new URL(`/api/portal/answers/${encodeURIComponent(key)}/evidence`, base), {
          method: 'POST',
          headers: { authorization: `Bearer ${portal}`, 'content-type': UPLOAD_CONTENT_TYPE },
          body,
        });
        if (res.status !== 201) throw new Error(`evidence upload: ${res.status} ${await res.text()}`);
      }
      if (storedBytes(o.dataDir).bytes >= TARGET_BYTES) return;
    }
  }
}

/** Runs one CLI step; its last line says how long and how much memory it took. */
async function step(name: BackupBenchRow['step'], script: string, args: string[], env: NodeJS.ProcessEnv): Promise<BackupBenchRow> {
  const started = Date.now();
  const { stdout } = await run(process.execPath, [script, ...args], { env, maxBuffer: 1024 * 1024 });
  const peak = /peak memory (\d+) MB/.exec(stdout);
  return { step: name, seconds: (Date.now() - started) / 1000, peakMb: peak ? Number(peak[1]) : NaN };
}

export async function runBackupBench(o: Options): Promise<BackupBenchResult> {
  o.log('backup: bringing the evidence to 1 GB (25 MB uploads through the portal)…');
  await fillEvidence(o);
  const stored = storedBytes(o.dataDir);
  const work = mkdtempSync(path.join(tmpdir(), 'vdp-bench-backup-'));
  const archive = path.join(work, 'bench.vdpbak');
  const restoreDir = path.join(work, 'restored');
  const base: NodeJS.ProcessEnv = { ...process.env, BACKUP_PASSPHRASE: PASSPHRASE, LOG_LEVEL: 'warn' };
  delete base.DATABASE_URL;
  const source = { ...base, DATA_DIR: o.dataDir, ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}) };
  let restoreDb: string | null = null;
  try {
    const rows: BackupBenchRow[] = [];
    rows.push(await step('backup', CLI, ['--out', archive], source));
    rows.push(await step('verify', CLI, ['--verify', archive], base));
    let target: NodeJS.ProcessEnv = { ...base, DATA_DIR: restoreDir };
    if (o.databaseUrl) {
      const url = new URL(o.databaseUrl.replace(/^mariadb:/, 'mysql:'));
      restoreDb = `${url.pathname.slice(1)}_restore`;
      const admin = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
      await admin.query(`CREATE DATABASE \`${restoreDb}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await admin.end();
      url.pathname = `/${restoreDb}`;
      target = { ...target, DATABASE_URL: url.toString() };
    }
    rows.push(await step('restore', RESTORE, [archive], target));
    const result = { evidenceMb: stored.bytes / 1048576, files: stored.files, archiveMb: statSync(archive).size / 1048576, rows };
    for (const r of rows) o.log(`backup ${r.step.padEnd(8)} ${r.seconds.toFixed(1)} s, peak memory ${r.peakMb} MB`);
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (restoreDb && o.databaseUrl) {
      const url = new URL(o.databaseUrl.replace(/^mariadb:/, 'mysql:'));
      const admin = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
      await admin.query(`DROP DATABASE IF EXISTS \`${restoreDb}\``);
      await admin.end();
    }
  }
}
