import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';

describe('buildDataSourceOptions', () => {
  type MysqlOptions = Extract<DataSourceOptions, { type: 'mysql' | 'mariadb' }>;
  const mysql = (url: string) => buildDataSourceOptions(loadConfig({ DATABASE_URL: url }), 'mariadb') as MysqlOptions;

  it('reaches MySQL/MariaDB over TCP by default, without a stack trace captured at every query', () => {
    const o = mysql('mysql://vdp:secret@db.internal:3307/vdp');
    expect(o.type).toBe('mariadb');
    expect(o.url).toBe('mysql://vdp:secret@db.internal:3307/vdp');
    expect(o.socketPath).toBeUndefined();
    expect(o.extra).toEqual({ connectionLimit: 10, trace: false });
    expect(o.synchronize).toBe(false);
  });

  it('takes a Unix socket from ?socketPath=, which TypeORM itself ignores', () => {
    const o = mysql('mariadb://root@localhost/vdp?socketPath=%2Frun%2Fmysqld%2Fmysqld.sock');
    expect(o.socketPath).toBe('/run/mysqld/mysqld.sock');
    expect(o.url).toBe('mysql://root@localhost/vdp?socketPath=%2Frun%2Fmysqld%2Fmysqld.sock');
  });

  it('opens SQLite in DATA_DIR when no DATABASE_URL is set', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vdp-opts-'));
    try {
      const o = buildDataSourceOptions(loadConfig({ DATA_DIR: dir }));
      expect(o.type).toBe('better-sqlite3');
      expect(o.type === 'better-sqlite3' && o.database).toBe(path.join(dir, 'portal.sqlite'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
