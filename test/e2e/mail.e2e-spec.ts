import { Logger } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { MailService } from '../../src/mail/mail.service';
import { decodeWords, parseMail, textParts } from '../support/mail-capture';
import { TestContext } from '../support/test-app';

const SUBJECT = '请完成安全问卷 – Security questionnaire';
const LINK = 'http://portal.test/q/3f9a1c?token=s3cr3t-portal-token';
const TEXT = `您好，\n\n请在 30 天内通过以下链接填写问卷：\n${LINK}\n\nVendor portal`;

describe('mail', () => {
  afterEach(() => jest.restoreAllMocks());

  describe('without SMTP_URL: the outbox', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await TestContext.create();
    });
    afterAll(async () => ctx.close());

    it('writes one .eml to DATA_DIR/outbox that decodes back to the Chinese subject and body, over no network', async () => {
      const connect = jest.spyOn(net.Socket.prototype, 'connect');
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      const mail = ctx.app.get(MailService);

      const result = await mail.send({
        to: 'contact@vendor.example',
        subject: SUBJECT,
        text: TEXT,
        html: `<p>请填写问卷：<a href="${LINK}">${LINK}</a></p>`,
        locale: 'zh-CN',
      });

      expect(connect).not.toHaveBeenCalled();
      const outbox = path.join(ctx.config.dataDir, 'outbox');
      const files = readdirSync(outbox);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^2026-03-02T09-00-00-000Z-[0-9a-f]+\.eml$/);
      expect(result).toEqual({ messageId: expect.stringMatching(/^<.+@.+>$/), transport: 'outbox', file: path.join(outbox, files[0]) });

      const eml = parseMail(readFileSync(result.file!, 'latin1'));
      expect(eml.header('to')).toBe('contact@vendor.example');
      expect(eml.header('from')).toBe('Vendor portal <no-reply@portal.test>');
      expect(decodeWords(eml.header('subject')!)).toBe(SUBJECT);
      expect(eml.header('message-id')).toBe(result.messageId);
      expect(eml.header('content-language')).toBe('zh-CN');
      expect(eml.header('date')).toBe('Mon, 02 Mar 2026 09:00:00 +0000');
      const parts = textParts(eml);
      expect(parts['text/plain'].replace(/\r\n/g, '\n')).toBe(TEXT);
      expect(parts['text/html']).toContain(`<a href="${LINK}">`);

      // One log line with recipient, subject and file; never the body or its link.
      const lines = log.mock.calls.map((args) => String(args[0]));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('contact@vendor.example');
      expect(lines[0]).toContain(SUBJECT);
      expect(lines[0]).toContain(files[0]);
      expect(lines.join('\n')).not.toContain('s3cr3t-portal-token');
    });

    it('refuses a subject or header that would break the header block', async () => {
      const mail = ctx.app.get(MailService);
      await expect(mail.send({ to: 'a@vendor.example', subject: 'Hi\r\nBcc: x@evil.example', text: 'x' })).rejects.toThrow('one line');
      await expect(mail.send({ to: 'a@vendor.example', subject: 'Hi', text: 'x', headers: { 'X-Ref': 'a\nBcc: x@evil.example' } })).rejects.toThrow('invalid header');
      await expect(mail.send({ to: 'a@vendor.example\r\nBcc: x@evil.example', subject: 'Hi', text: 'x' })).rejects.toThrow('invalid recipient');
    });
  });

  describe('with SMTP_URL', () => {
    let ctx: TestContext;
    let server: SMTPServer;
    const received: Array<{ from: string; to: string[]; data: string }> = [];

    beforeAll(async () => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              data: Buffer.concat(chunks).toString('latin1'),
            });
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.server.address() as net.AddressInfo;
      ctx = await TestContext.create({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'mail@portal.test' });
    });
    afterAll(async () => {
      await ctx.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('delivers through the SMTP server and writes no outbox file', async () => {
      jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      const result = await ctx.app.get(MailService).send({ to: 'contact@vendor.example', subject: SUBJECT, text: TEXT });

      expect(result).toEqual({ messageId: expect.stringMatching(/^<.+>$/), transport: 'smtp' });
      expect(received).toHaveLength(1);
      expect(received[0].from).toBe('mail@portal.test');
      expect(received[0].to).toEqual(['contact@vendor.example']);
      const eml = parseMail(received[0].data);
      expect(decodeWords(eml.header('subject')!)).toBe(SUBJECT);
      expect(eml.header('message-id')).toBe(result.messageId);
      expect(textParts(eml)['text/plain'].replace(/\r\n/g, '\n')).toBe(TEXT);
      expect(existsSync(path.join(ctx.config.dataDir, 'outbox'))).toBe(false);
    });
  });

  describe('with SMTP_URL pointing at a server that is down', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await TestContext.create({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` });
    });
    afterAll(async () => ctx.close());

    it('rejects within seconds, so the caller can retry', async () => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const started = Date.now();
      await expect(ctx.app.get(MailService).send({ to: 'contact@vendor.example', subject: SUBJECT, text: TEXT })).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(existsSync(path.join(ctx.config.dataDir, 'outbox'))).toBe(false);
    });
  });
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
