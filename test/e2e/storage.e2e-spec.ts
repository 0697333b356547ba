import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { catalogEntry } from '../../src/common/errors/error-catalog';
import { DiskEvidenceStore, EvidenceStore } from '../../src/storage/evidence-store';
import { StorageErrorCode, StorageException } from '../../src/storage/storage.exception';
import { EvidenceUploadService, MAX_EVIDENCE_BYTES } from '../../src/storage/storage.service';
import { TestContext } from '../support/test-app';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
const CSV = Buffer.from('control;status\r\nMFA;yes\r\nEncryption at rest;"AES-256, 已启用"\r\n', 'utf8');

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Every file under `dir`, relative to it; [] when `dir` does not exist. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

async function refusal(p: Promise<unknown>): Promise<StorageException> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageException);
  return err as StorageException;
}

describe('storage', () => {
  let ctx: TestContext;
  let uploads: EvidenceUploadService;
  let store: EvidenceStore;
  let filesDir: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    uploads = ctx.app.get(EvidenceUploadService);
    store = ctx.app.get(EvidenceStore);
    filesDir = path.join(ctx.config.dataDir, 'files');
  });
  afterAll(async () => ctx.close());

  it('is a disk store under DATA_DIR/files', () => {
    expect(store).toBeInstanceOf(DiskEvidenceStore);
    expect((store as DiskEvidenceStore).root).toBe(filesDir);
  });

  describe('refusals store nothing', () => {
    it.each([
      ['text content behind a .pdf name', 'x.pdf', () => Buffer.from('just some text\n'), StorageErrorCode.NameMismatch, 400],
      ['an oversize file (25 MB + 1 byte)', 'big.txt', () => Buffer.alloc(MAX_EVIDENCE_BYTES + 1, 0x61), StorageErrorCode.TooLarge, 413],
      ['an empty file', 'empty.pdf', () => Buffer.alloc(0), StorageErrorCode.Empty, 400],
      ['a path-traversal name', '../../etc/passwd.txt', () => Buffer.from('root:x:0:0:root:/root:/bin/bash\n'), StorageErrorCode.BadName, 400],
      ['unknown binary content', 'tool.pdf', () => Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), StorageErrorCode.UnsupportedType, 415],
    ])('refuses %s', async (_what, name, data, code, status) => {
      const before = listFiles(filesDir);
      const err = await refusal(uploads.accept(name, data()));
      expect(err.code).toBe(code);
      expect(err.detail).toEqual(expect.any(String));
      expect(catalogEntry(code)).toEqual({ status, title: expect.any(String) });
      expect(listFiles(filesDir)).toEqual(before);
      expect(existsSync(path.join(ctx.config.dataDir, 'etc'))).toBe(false);
    });

    it('left DATA_DIR/files empty', () => {
      expect(listFiles(filesDir)).toEqual([]);
    });
  });

  describe('accepted files', () => {
    it.each([
      ['a PDF', 'SOC 2 report.pdf', PDF, 'pdf', 'application/pdf'],
      ['a CSV', 'controls.csv', CSV, 'csv', 'text/csv; charset=utf-8'],
    ])('stores %s under DATA_DIR/files/xx/ and reads it back', async (_what, name, data, kind, mime) => {
      const before = listFiles(filesDir);
      const accepted = await uploads.accept(name, data);

      expect(accepted).toEqual({ key: expect.stringMatching(/^[0-9a-f]{32}$/), sha256: sha256(data), size: data.length, kind, mime, name });
      const rel = path.join(accepted.key.slice(0, 2), accepted.key);
      expect(listFiles(filesDir)).toEqual([...before, rel].sort());
      const file = path.join(filesDir, rel);
      expect(sha256(readFileSync(file))).toBe(accepted.sha256);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect((await store.read(accepted.key)).equals(data)).toBe(true);
    });

    it('gives each upload its own key, even for the same bytes', async () => {
      const a = await uploads.accept('a.pdf', PDF);
      const b = await uploads.accept('a.pdf', PDF);
      expect(a.key).not.toBe(b.key);
      expect(a.sha256).toBe(b.sha256);
    });

    it('removes a file, and an unknown key then reads as not found', async () => {
      const { key } = await uploads.accept('gone.csv', CSV);
      await store.remove(key);
      expect(existsSync(path.join(filesDir, key.slice(0, 2), key))).toBe(false);
      expect((await refusal(store.read(key))).code).toBe(StorageErrorCode.NotFound);
      await expect(store.remove(key)).resolves.toBeUndefined();
    });
  });

  describe('keys', () => {
    it.each(['../x', '../../etc/passwd', `${'a'.repeat(31)}/`, 'A'.repeat(32), 'g'.repeat(32), '', `${'a'.repeat(32)}\n`, `ab/${'a'.repeat(32)}`])(
      'rejects the malformed key %j for read and remove',
      async (key) => {
        expect((await refusal(store.read(key))).code).toBe(StorageErrorCode.NotFound);
        expect((await refusal(store.remove(key))).code).toBe(StorageErrorCode.NotFound);
      },
    );
  });
});
