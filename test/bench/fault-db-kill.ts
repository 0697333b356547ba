/**
 * A fault run, by hand (`npm run build && node dist/test/bench/fault-db-kill.js`): a MariaDB
 * server of its own (a data directory under /tmp, port 3399) behind the real app, vendors
 * created by 5 clients without pause, the server killed with SIGKILL for 10 s, then started
 * again. It prints the answers by status, checks each 503 carried Retry-After, and checks that
 * every vendor acknowledged with 201 is in the database afterwards. Needs root and Debian's
 * mariadb-server (mariadb-install-db, mariadbd).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { AppProcess } from './app-process';

const PORT = 3399;
const CLIENTS = 5;
const ADMIN = { email: 'fault@portal.test', password: 'fault run password 2026' };

function startServer(datadir: string): ChildProcess {
  return spawn('/usr/sbin/mariadbd', ['--no-defaults', `--datadir=${datadir}`, `--port=${PORT}`, '--bind-address=127.0.0.1', `--socket=${datadir}/mysqld.sock`, '--user=root', '--skip-grant-tables'], {
    stdio: 'ignore',
  });
}

async function waitServer(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const c = await createConnection({ host: '127.0.0.1', port: PORT, user: 'root' });
      await c.end();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error('the MariaDB server did not start');
}

async function main(): Promise<void> {
  const datadir = mkdtempSync(path.join(tmpdir(), 'vdp-fault-db-'));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vdp-fault-app-'));
  execFileSync('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, '--user=root', '--auth-root-authentication-method=normal'], { stdio: 'ignore' });
  let server = startServer(datadir);
  let app: AppProcess | null = null;
  try {
    await waitServer();
    const c = await createConnection({ host: '127.0.0.1', port: PORT, user: 'root' });
    await c.query('CREATE DATABASE vdp CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await c.end();
    const url = `mysql://root@127.0.0.1:${PORT}/vdp`;
    app = await AppProcess.start({ dataDir, databaseUrl: url, adminEmail: ADMIN.email, adminPassword: ADMIN.password });
    const login = await fetch(`${app.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const { token, user } = (await login.json()) as { token: string; user: { id: string } };

    const acked: string[] = [];
    const statuses = new Map<string, number>();
    let without = 0;
    let stop = false;
    let n = 0;
    const client = async () => {
      while (!stop) {
        const name = `Fault vendor ${n++}`;
        let status = 'error';
        try {
          const res = await fetch(`${app!.baseUrl}/api/vendors`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              name,
              legalEntity: `${name} Ltd.`,
              country: 'DE',
              website: 'https://fault.example',
              services: 'Parcels',
              category: 'logistics',
              ownerId: user.id,
              contact: { name: 'Fay Fault', email: 'fay@fault.example', phone: '+49 30 5550102', language: 'en' },
              profile: { dataCategories: ['contact'], volumeBand: '1k_100k', accessLevel: 'file_exchange', criticality: 'moderate', crossBorder: false, jurisdictions: ['EU'] },
            }),
            signal: AbortSignal.timeout(15_000),
          });
          status = String(res.status);
          if (res.status === 201) acked.push(name);
          if (res.status === 503 && !res.headers.get('retry-after')) without++;
          await res.arrayBuffer();
        } catch {
          // a timeout or a refused connection: counted as "error"
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status !== '201') await new Promise((r) => setTimeout(r, 100));
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    await new Promise((r) => setTimeout(r, 3000));
    process.stdout.write(`killing MariaDB (SIGKILL) after ${acked.length} acknowledged saves\n`);
    server.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 10_000));
    const ready = await fetch(`${app.baseUrl}/health/ready`);
    process.stdout.write(`/health/ready while it is down: ${ready.status}, Retry-After ${ready.headers.get('retry-after')}\n`);
    server = startServer(datadir);
    await waitServer();
    process.stdout.write('MariaDB is back\n');
    await new Promise((r) => setTimeout(r, 5000));
    stop = true;
    await Promise.all(clients);

    const check = await createConnection({ host: '127.0.0.1', port: PORT, user: 'root', database: 'vdp' });
    const [rows] = (await check.query('SELECT name FROM vendors')) as unknown as [Array<{ name: string }>];
    await check.end();
    const stored = new Set(rows.map((r) => r.name));
    const lost = acked.filter((a) => !stored.has(a));
    process.stdout.write(`answers: ${[...statuses].map(([s, k]) => `${s}: ${k}`).join(', ')}; 503 without Retry-After: ${without}\n`);
    process.stdout.write(`acknowledged ${acked.length}, lost ${lost.length}${lost.length ? ` (${lost.slice(0, 5).join(', ')})` : ''}\n`);
  } finally {
    await app?.stop();
    server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(datadir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
