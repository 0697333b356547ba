/**
 * Reading mail the way a recipient would: a real SMTP server inside the test that keeps every
 * message, the .eml files of the outbox, and a small RFC 5322 / 2047 / MIME decoder for both.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface ParsedMail {
  header(name: string): string | undefined;
  body: string;
}

/** Splits a raw message (read as latin1, so bytes stay bytes) into unfolded headers and body. */
export function parseMail(raw: string): ParsedMail {
  const cut = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, cut).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { header: (name) => headers.get(name.toLowerCase()), body: raw.slice(cut + 4) };
}

/** RFC 2047: joins adjacent encoded words as bytes before decoding UTF-8. */
export function decodeWords(value: string): string {
  const word = /=\?utf-8\?([bq])\?([^?]*)\?=/gi;
  return value.replace(/=\?utf-8\?[bq]\?[^?]*\?=(?:\s+=\?utf-8\?[bq]\?[^?]*\?=)*/gi, (run) =>
    Buffer.concat(
      [...run.matchAll(word)].map(([, enc, data]) => (enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64') : qpBytes(data.replace(/_/g, ' ')))),
    ).toString('utf8'),
  );
}

export function qpBytes(text: string): Buffer {
  const s = text.replace(/=\r\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const hex = s.slice(i + 1, i + 3);
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(s.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** The decoded text parts of a message by content type (one level of multipart is enough here). */
export function textParts(mail: ParsedMail): Record<string, string> {
  const type = mail.header('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary) {
    const cte = (mail.header('content-transfer-encoding') ?? '7bit').toLowerCase();
    const bytes = cte === 'base64' ? Buffer.from(mail.body, 'base64') : cte === 'quoted-printable' ? qpBytes(mail.body) : Buffer.from(mail.body, 'latin1');
    return { [type.split(';')[0].trim().toLowerCase()]: bytes.toString('utf8').replace(/\r\n$/, '') };
  }
  const sections = mail.body.split(`--${boundary}`).slice(1, -1);
  return Object.assign({}, ...sections.map((section) => textParts(parseMail(section.replace(/^\r\n/, '')))));
}

/** A message as its recipient reads it. */
export interface ReadMail {
  from: string;
  to: string[];
  subject: string;
  language: string | undefined;
  /** The text/plain part, with LF line ends. */
  text: string;
  raw: string;
}

export function readMail(raw: string, envelope?: { from: string; to: string[] }): ReadMail {
  const mail = parseMail(raw);
  return {
    from: envelope?.from ?? mail.header('from') ?? '',
    to: envelope?.to ?? (mail.header('to') ?? '').split(',').map((s) => s.trim()),
    subject: decodeWords(mail.header('subject') ?? ''),
    language: mail.header('content-language'),
    text: (textParts(mail)['text/plain'] ?? '').replace(/\r\n/g, '\n'),
    raw,
  };
}

/** The portal links (`…/portal/t/<token>`) in a text. */
export function portalLinks(text: string): string[] {
  return [...text.matchAll(/https?:\/\/\S+\/portal\/t\/[A-Za-z0-9_-]+/g)].map((m) => m[0]);
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives. */
export class SmtpCapture {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    /** Every message received, oldest first. */
    readonly received: ReadMail[],
  ) {}

  /**
   * A server on a free port, or on `port` (to start one again where a stopped one was).
   * `stopAfter`: the server stops listening once it holds that many messages (an outage mid-run).
   * `beforeAccept`: runs when a message has arrived, before the server answers that it took it.
   */
  static async start(port = 0, received: ReadMail[] = [], options: { stopAfter?: number; beforeAccept?: (mail: ReadMail) => Promise<void> } = {}): Promise<SmtpCapture> {
    const server: SMTPServer = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          const mail = readMail(Buffer.concat(chunks).toString('latin1'), envelope);
          received.push(mail);
          // The message is the server's now; `beforeAccept` runs before the client hears so.
          void (options.beforeAccept ?? (async () => undefined))(mail).finally(() => callback());
          if (options.stopAfter !== undefined && received.length >= options.stopAfter) server.close();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return new SmtpCapture(server, (server.server.address() as AddressInfo).port, received);
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages received since `mark` (a previous `received.length`). */
  since(mark: number): ReadMail[] {
    return this.received.slice(mark);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The same server again, on the same port, keeping what it received. */
  restart(): Promise<SmtpCapture> {
    return SmtpCapture.start(this.port, this.received);
  }
}

/**
 * The .eml files of DATA_DIR/outbox, by name: names start with the send time, but under a fixed
 * clock several share it, so find a message by recipient or subject rather than by position.
 */
export function outbox(dataDir: string): Array<ReadMail & { file: string }> {
  const dir = path.join(dataDir, 'outbox');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => ({ ...readMail(readFileSync(path.join(dir, f), 'latin1')), file: path.join(dir, f) }));
}
