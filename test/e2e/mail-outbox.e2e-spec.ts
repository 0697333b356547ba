import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../src/app.setup';
import { outboxMessageId } from '../../src/mail/outbox-delivery.service';
import { ReminderOutboxEntity } from '../../src/reminders/reminder-outbox.entity';
import { answerFavourably, createAssessment, openPortal, submitAssessment } from '../support/assessment-factory';
import { parseMail, ReadMail, SmtpCapture } from '../support/mail-capture';
import { StaffUser, TestContext } from '../support/test-app';

const MINUTE = 60_000;

/** A port nothing listens on: a mail server that is down. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const messageIdOf = (mail: ReadMail) => parseMail(mail.raw).header('message-id');

describe('every mail goes through the outbox', () => {
  describe('a mail server that is down when a change commits', () => {
    let ctx: TestContext;
    let admin: StaffUser;
    let port: number;
    beforeAll(async () => {
      port = await deadPort();
      ctx = await TestContext.create({ SMTP_URL: `smtp://127.0.0.1:${port}` });
      admin = await ctx.admin();
    });
    afterAll(async () => ctx?.close());

    it('keeps the invitation, the receipt and the notice, and sends them once it is back, at the next start', async () => {
      const vendorId = await ctx.newVendor(admin.id);
      const res = await ctx.http.post('/api/assessments').set({ Authorization: `Bearer ${admin.token}` }).send({ vendorId, dueDate: '2026-04-01', modules: ['baseline-lite'] });
      expect(res.status).toBe(201);
      // Committed, and honest about the mail: not sent yet, but kept.
      expect(res.body.link.mailed).toBe(false);
      const token = /\/portal\/t\/([A-Za-z0-9_-]+)$/.exec(res.body.link.url as string)![1];
      const session = await openPortal(ctx, token);
      await answerFavourably(ctx, session, admin.token);
      expect((await submitAssessment(ctx, session)).status).toBe(200);
      const outbox = ctx.dataSource.getRepository(ReminderOutboxEntity);
      const kept = await outbox.find({ order: { rule: 'ASC' } });
      expect(kept.map((r) => [r.rule, r.status, r.attempts])).toEqual([
        ['mail.invitation', 'pending', 1],
        ['mail.receipt', 'pending', 1],
        ['mail.submitted', 'pending', 1],
      ]);
      expect(kept.every((r) => r.lastError)).toBe(true);

      // The server is back; the portal restarts (with its reminder engine on) after the first retry is due.
      const smtp = await SmtpCapture.start(port);
      try {
        ctx.clock.advance(MINUTE);
        ctx = await ctx.restart({ SMTP_URL: smtp.url, REMINDERS_ENABLED: 'true' });
        for (let i = 0; i < 300 && smtp.received.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
        const subjects = smtp.received.map((m) => m.subject);
        expect(subjects).toHaveLength(3);
        expect(subjects).toEqual(expect.arrayContaining(['We received the questionnaire of Vendor 1', 'Vendor 1 submitted its questionnaire', expect.stringMatching(/Vendor 1/)]));
        const sent = await ctx.dataSource.getRepository(ReminderOutboxEntity).find();
        expect(sent.every((r) => r.status === 'sent')).toBe(true);
        for (const row of sent) {
          expect(smtp.received.map(messageIdOf)).toContain(outboxMessageId(row.key, ctx.config.PUBLIC_URL));
          // The body (a portal link) is not kept once the mail is out.
          expect(row.payload.mail?.text).toBe('');
        }
      } finally {
        await smtp.close();
      }
    });
  });

  describe('a sender killed after the mail server took the message, before it marked the row sent', () => {
    let ctx: TestContext;
    const children: ChildProcess[] = [];
    beforeAll(() => {
      // The command-line sender runs from the compiled code, as `npm run reminders` does.
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
    }, 120_000);
    afterAll(async () => {
      for (const c of children) c.kill('SIGKILL');
      await ctx?.close();
    });

    const sender = (at: Date, smtpUrl: string): { child: ChildProcess; done: Promise<number | null> } => {
      const env: Record<string, string> = { ...(process.env as Record<string, string>), DATA_DIR: ctx.config.dataDir, SMTP_URL: smtpUrl, PUBLIC_URL: ctx.config.PUBLIC_URL, LOG_LEVEL: 'silent' };
      if (ctx.config.DATABASE_URL) env.DATABASE_URL = ctx.config.DATABASE_URL;
      else delete env.DATABASE_URL;
      const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/cli/reminders.js'), '--now', at.toISOString()], { env, stdio: 'ignore' });
      children.push(child);
      return { child, done: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
    };

    it('sends it again from the next sender, with the same Message-ID', async () => {
      const port = await deadPort();
      ctx = await TestContext.create({ SMTP_URL: `smtp://127.0.0.1:${port}` });
      const admin = await ctx.admin();
      const vendorId = await ctx.newVendor(admin.id);
      await createAssessment(ctx, admin.token, vendorId, { modules: ['baseline-lite'] });
      const outbox = ctx.dataSource.getRepository(ReminderOutboxEntity);
      const row = await outbox.findOneByOrFail({ rule: 'mail.invitation' });
      expect(row.status).toBe('pending');

      let first: ChildProcess | null = null;
      const smtp = await SmtpCapture.start(port, [], {
        beforeAccept: async () => {
          if (!first) return;
          // The server has the message; its sender dies before it hears so, let alone marks the row.
          const dying = first;
          first = null;
          dying.kill('SIGKILL');
          await new Promise((r) => dying.once('exit', r));
        },
      });
      try {
        const t0 = new Date(ctx.clock.now().getTime() + MINUTE);
        const run1 = sender(t0, smtp.url);
        first = run1.child;
        expect(await run1.done).toBeNull(); // killed
        expect(smtp.received).toHaveLength(1);
        expect((await outbox.findOneByOrFail({ id: row.id })).status).toBe('sending');

        // Within the claim's lease nobody takes it over; after it, the next sender does.
        expect(await sender(new Date(t0.getTime() + MINUTE), smtp.url).done).toBe(0);
        expect(smtp.received).toHaveLength(1);
        expect(await sender(new Date(t0.getTime() + 3 * MINUTE), smtp.url).done).toBe(0);
        expect(smtp.received).toHaveLength(2);

        const [a, b] = smtp.received;
        expect(messageIdOf(a)).toBe(outboxMessageId(row.key, ctx.config.PUBLIC_URL));
        expect(messageIdOf(b)).toBe(messageIdOf(a));
        expect(b.text).toBe(a.text);
        expect(await outbox.findOneByOrFail({ id: row.id })).toMatchObject({ status: 'sent', attempts: 3 });
      } finally {
        await smtp.close();
      }
    });
  });
});
