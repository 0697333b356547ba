import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReadinessService } from '../../src/health/readiness.service';
import { ReminderOutboxEntity } from '../../src/reminders/reminder-outbox.entity';
import { overdueReminderRow } from '../support/outbox-factory';
import { OutboxDelivery } from '../../src/mail/outbox-delivery.service';
import { gracefulShutdown } from '../../src/shutdown';
import { TestContext, vendorInput } from '../support/test-app';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** A request whose body arrives in two halves, `gapMs` apart: in flight for that long. */
function slowPost(port: number, path: string, token: string, body: string, gapMs: number, onFirstHalf: () => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    onFirstHalf();
    setTimeout(() => req.end(body.slice(half)), gapMs);
  });
}

const get = (port: number, path: string, agent: http.Agent) =>
  new Promise<string>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
    }).on('error', reject);
  });

describe('graceful shutdown on SIGTERM', () => {
  it('turns not ready at once, lets the request in flight finish, stops claiming reminders, then exits 0', async () => {
    const ctx = await TestContext.create({ SHUTDOWN_GRACE_SECONDS: '10' });
    const admin = await ctx.admin();
    await ctx.app.listen(0, '127.0.0.1');
    const port = (ctx.app.getHttpServer().address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const outbox = ctx.dataSource.getRepository(ReminderOutboxEntity);
      await ctx.http.get('/health/ready').expect(200);
      expect(await get(port, '/health/ready', agent)).toBe('200');

      const exits: number[] = [];
      let shutdown!: Promise<void>;
      const inFlight = slowPost(port, '/api/vendors', admin.token, JSON.stringify({ ...vendorInput(admin.id), name: 'In flight' }), 700, () => {
        setTimeout(() => {
          shutdown = gracefulShutdown(ctx.app, 10, quiet, (code) => exits.push(code))('SIGTERM');
        }, 100);
      });
      await new Promise((r) => setTimeout(r, 250));
      // Not ready at once, the request still in flight; liveness is unaffected.
      const readiness = await ctx.app.get(ReadinessService).check();
      expect(readiness).toMatchObject({ ready: false, checks: { shutdown: 'failed', database: 'ok' } });
      // A balancer's check gets 503 on a connection still open, or no connection at all.
      expect(await get(port, '/health/ready', agent).catch((e: NodeJS.ErrnoException) => e.code)).toMatch(/^(503|ECONNREFUSED)$/);
      expect(exits).toEqual([]);

      // The reminder engine claims nothing any more.
      const waiting = overdueReminderRow('shutdown', ctx.clock.now());
      await outbox.insert(waiting);
      const report = await ctx.app.get(OutboxDelivery).deliver(ctx.clock.now());
      expect(report.sent).toBe(0);
      expect(await outbox.findOneByOrFail({ id: waiting.id })).toMatchObject({ status: 'pending', attempts: 0 });

      const res = await inFlight;
      expect(res.status).toBe(201);
      expect(JSON.parse(res.body).name).toBe('In flight');
      await shutdown;
      expect(exits).toEqual([0]);
    } finally {
      agent.destroy();
      await ctx.close().catch(() => undefined);
    }
  });

  it('exits 1 when requests are still in flight after SHUTDOWN_GRACE_SECONDS', async () => {
    const ctx = await TestContext.create();
    const admin = await ctx.admin();
    await ctx.app.listen(0, '127.0.0.1');
    const port = (ctx.app.getHttpServer().address() as AddressInfo).port;
    try {
      const exits: number[] = [];
      const stuck = slowPost(port, '/api/vendors', admin.token, JSON.stringify(vendorInput(admin.id)), 3000, () => {
        setTimeout(() => void gracefulShutdown(ctx.app, 1, quiet, (code) => exits.push(code))('SIGTERM'), 100);
      }).catch(() => 'cut');
      await new Promise((r) => setTimeout(r, 1500));
      expect(exits).toEqual([1]);
      await stuck;
    } finally {
      await ctx.close().catch(() => undefined);
    }
  });
});
