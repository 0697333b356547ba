import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Language of the body, sent as `Content-Language`. */
  locale?: 'en' | 'zh-CN';
  headers?: Record<string, string>;
  /** A Message-ID of the caller's (the outbox's, stable across retries); else one is generated. */
  messageId?: string;
}

export interface MailResult {
  messageId: string;
  transport: 'smtp' | 'outbox';
  /** Absolute path of the .eml file, for the outbox only. */
  file?: string;
}

/** SMTP time limits: a dead server makes `send` fail within seconds, so the caller can retry later. */
const SMTP_TIMEOUTS = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 30_000 };
const HEADER_NAME = /^[A-Za-z0-9-]+$/;
const LINE_BREAK = /[\r\n]/;

/**
 * Sends mail through `SMTP_URL`, or without it writes each message as an RFC 5322 `.eml` file
 * to `DATA_DIR/outbox/`. Bodies carry links with tokens: they are never logged.
 */
@Injectable()
export class MailService implements OnModuleDestroy {
  private readonly logger = new Logger(MailService.name);
  readonly transport: 'smtp' | 'outbox';
  readonly from: string;
  readonly outboxDir: string;
  private readonly transporter: Transporter;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.from = config.MAIL_FROM ?? `Vendor portal <no-reply@${new URL(config.PUBLIC_URL).hostname}>`;
    this.outboxDir = path.join(config.dataDir, 'outbox');
    if (config.SMTP_URL) {
      this.transport = 'smtp';
      this.transporter = createTransport({ url: config.SMTP_URL, ...SMTP_TIMEOUTS });
    } else {
      this.transport = 'outbox';
      this.transporter = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    }
  }

  async send(message: MailMessage): Promise<MailResult> {
    checkMessage(message);
    const headers: Record<string, string> = { ...message.headers };
    if (message.locale) headers['Content-Language'] = message.locale;
    const info = await this.transporter
      .sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined ? { html: message.html } : {}),
        headers,
        ...(message.messageId ? { messageId: message.messageId } : {}),
        date: this.clock.now(),
      })
      .catch((err: unknown) => {
        this.logger.warn(`mail to ${message.to} failed (${this.transport}): ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      });
    const messageId = String(info.messageId);
    if (this.transport === 'smtp') {
      this.logger.log(`mail sent: to=${message.to} subject=${JSON.stringify(message.subject)} messageId=${messageId}`);
      return { messageId, transport: 'smtp' };
    }
    const file = await this.writeOutbox(info.message as Buffer);
    this.logger.log(`mail written to outbox: to=${message.to} subject=${JSON.stringify(message.subject)} file=${file}`);
    return { messageId, transport: 'outbox', file };
  }

  onModuleDestroy(): void {
    this.transporter.close();
  }

  private async writeOutbox(eml: Buffer): Promise<string> {
    // The files hold live portal links: the portal's user alone reads them.
    await mkdir(this.outboxDir, { recursive: true, mode: 0o700 });
    await chmod(this.outboxDir, 0o700);
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    const file = path.join(this.outboxDir, `${stamp}-${randomBytes(6).toString('hex')}.eml`);
    // `wx`: never overwrite an earlier mail, however unlikely a clash of the random part is.
    await writeFile(file, eml, { flag: 'wx', mode: 0o600 });
    return file;
  }
}

function checkMessage(message: MailMessage): void {
  if (!message.to || LINE_BREAK.test(message.to)) throw new Error('mail: invalid recipient');
  if (LINE_BREAK.test(message.subject)) throw new Error('mail: the subject must be one line');
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!HEADER_NAME.test(name) || LINE_BREAK.test(value)) throw new Error(`mail: invalid header ${JSON.stringify(name)}`);
  }
}
