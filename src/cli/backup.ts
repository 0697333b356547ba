/**
 * `npm run backup -- --out FILE`: an encrypted archive of the database (a consistent snapshot,
 * taken while the portal serves) and of every stored file, with a manifest of SHA-256 sums and
 * the schema version. `npm run backup -- --verify FILE` checks an archive without restoring it.
 * `npm run restore -- FILE` restores one into an empty database (DATABASE_URL, or SQLite in
 * DATA_DIR) of either kind.
 *
 * The key: BACKUP_PASSPHRASE (at least 12 characters; scrypt derives the key) or
 * BACKUP_KEY_FILE (a file of 32 random bytes, e.g. `openssl rand -hex 32 > backup.key`).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { ConfigValidationError, loadConfig, loadDotEnv } from '../config/app-config';
import { ArchiveError, KeySource } from '../backup/archive-crypto';
import { BackupSummary, createBackup, Progress, restoreBackup, RestoreRefused, verifyBackup } from '../backup/backup';

export type BackupCommand = { command: 'backup'; out: string } | { command: 'verify'; file: string } | { command: 'restore'; file: string };

const BACKUP_USAGE = 'usage: npm run backup -- --out FILE | npm run backup -- --verify FILE';
const RESTORE_USAGE = 'usage: npm run restore -- FILE';
export const MIN_PASSPHRASE = 12;

/** Reads the command line of `backup` or `restore`; throws with a usage line on anything else. */
export function parseBackupArgs(tool: 'backup' | 'restore', argv: readonly string[]): BackupCommand {
  if (tool === 'restore') {
    if (argv.length !== 1 || argv[0].startsWith('-')) throw new Error(RESTORE_USAGE);
    return { command: 'restore', file: argv[0] };
  }
  const [flag, value, ...rest] = argv;
  if (rest.length || !value || value.startsWith('-')) throw new Error(BACKUP_USAGE);
  if (flag === '--out') return { command: 'backup', out: value };
  if (flag === '--verify') return { command: 'verify', file: value };
  throw new Error(BACKUP_USAGE);
}

/** The key from the environment: exactly one of BACKUP_PASSPHRASE and BACKUP_KEY_FILE. */
export function keyFromEnv(env: Record<string, string | undefined>, forWriting: boolean): KeySource {
  const passphrase = env.BACKUP_PASSPHRASE;
  const keyFile = env.BACKUP_KEY_FILE;
  if (passphrase && keyFile) throw new Error('Set BACKUP_PASSPHRASE or BACKUP_KEY_FILE, not both.');
  if (keyFile) return { keyFile: readFileSync(keyFile) };
  if (!passphrase) throw new Error('Set BACKUP_PASSPHRASE (at least 12 characters) or BACKUP_KEY_FILE (32 random bytes) for the archive key.');
  if (forWriting && passphrase.length < MIN_PASSPHRASE) throw new Error(`BACKUP_PASSPHRASE must have at least ${MIN_PASSPHRASE} characters.`);
  return { passphrase };
}

function progressLine(): ((p: Progress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    const what =
      p.phase === 'tables' ? `tables ${p.done}/${p.total}` : p.phase === 'files' ? `files ${p.done}/${p.total}, ${(p.bytes / 1048576).toFixed(0)} MB` : `${p.phase} ${((p.done / Math.max(1, p.total)) * 100).toFixed(0)} %`;
    process.stderr.write(`\r  ${what}`.padEnd(60));
  };
}

function summaryLines(s: BackupSummary): string[] {
  const rows = Object.values(s.manifest.tables).reduce((n, t) => n + t.rows, 0);
  return [
    `  taken ${s.header.createdAt} from ${s.header.source === 'sqlite' ? 'SQLite' : 'MySQL/MariaDB'}, schema ${s.header.migrations[s.header.migrations.length - 1] ?? '(none)'}`,
    `  ${Object.keys(s.manifest.tables).length} tables, ${rows} rows; ${s.manifest.files.count} files, ${(s.manifest.files.bytes / 1048576).toFixed(1)} MB; archive ${(s.archiveBytes / 1048576).toFixed(1)} MB`,
  ];
}

async function main(tool: 'backup' | 'restore'): Promise<void> {
  loadDotEnv();
  let cmd: BackupCommand;
  let key: KeySource;
  try {
    cmd = parseBackupArgs(tool, process.argv.slice(2));
    key = keyFromEnv(process.env, cmd.command === 'backup');
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const started = Date.now();
  const progress = progressLine();
  const done = (lines: string[]) => {
    if (progress) process.stderr.write('\r'.padEnd(61) + '\r');
    for (const l of lines) process.stdout.write(l + '\n');
    process.stdout.write(`  ${((Date.now() - started) / 1000).toFixed(1)} s, peak memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
  };
  try {
    if (cmd.command === 'verify') {
      const s = await verifyBackup(cmd.file, key, progress);
      done([`${cmd.file}: the archive is complete and every SHA-256 matches.`, ...summaryLines(s)]);
      return;
    }
    const config = loadConfig();
    if (cmd.command === 'backup') {
      const s = await createBackup(config, cmd.out, key, progress);
      done([`Backup written to ${cmd.out}.`, ...summaryLines(s)]);
    } else {
      const s = await restoreBackup(config, cmd.file, key, progress);
      done([`Restored ${cmd.file} into ${config.DATABASE_URL ? 'the MySQL/MariaDB database of DATABASE_URL' : `SQLite in ${config.dataDir}`}.`, ...summaryLines(s)]);
    }
  } catch (err) {
    if (progress) process.stderr.write('\n');
    const known = err instanceof ArchiveError || err instanceof RestoreRefused || err instanceof ConfigValidationError;
    console.error(known ? (err as Error).message : `${cmd.command} failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

if (require.main === module) void main('backup');
export { main as runBackupCli };
