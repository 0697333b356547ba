import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * A small tmpfs that a test fills up, so that writes fail where they fail in production (SQLite
 * writing its WAL at COMMIT). Mounting needs root: CI runs as root and must not skip, so there a
 * failed mount fails the suite; elsewhere `mounted` is false and the test returns early.
 */
export class SmallDisk {
  readonly path: string;
  mounted = false;
  private readonly filler: string;

  constructor(
    name: string,
    private readonly size: string,
  ) {
    this.path = path.join(tmpdir(), `vdp-${name}-${process.pid}`);
    this.filler = path.join(this.path, 'filler');
  }

  mount(): void {
    mkdirSync(this.path, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${this.size},mode=0700`, 'tmpfs', this.path], { stdio: 'ignore' });
      this.mounted = true;
    } catch {
      if (process.env.CI === 'true') throw new Error('cannot mount a tmpfs to fill up: CI must run as root');
    }
  }

  /** Fills the disk until only `bytes` are left. */
  fillLeaving(bytes: number): void {
    const free = Number(execFileSync('df', ['--output=avail', '-B1', this.path]).toString().split('\n')[1]);
    writeFileSync(this.filler, Buffer.alloc(Math.max(0, free - bytes)));
  }

  /** Frees what `fillLeaving` took. */
  free(): void {
    rmSync(this.filler, { force: true });
  }

  unmount(): void {
    if (this.mounted) execFileSync('umount', ['-l', this.path]);
    rmSync(this.path, { recursive: true, force: true });
  }
}
