import { classifyInfrastructureError } from './database-errors';

const sqlite = (code: string) => Object.assign(new Error('sqlite says no'), { code });
const mysql = (code: string, errno: number) => Object.assign(new Error('mysql says no'), { code, errno });
const wrapped = (driverError: Error) => Object.assign(new Error('query failed'), { driverError });

describe('classifyInfrastructureError', () => {
  it.each([
    ['SQLite full', sqlite('SQLITE_FULL')],
    ['a full disk under a file write', Object.assign(new Error('no space'), { code: 'ENOSPC', errno: -28 })],
    ['MariaDB: the table is full', mysql('ER_RECORD_FILE_FULL', 1114)],
    ['MariaDB: disk full', mysql('ER_DISK_FULL', 1021)],
    ['wrapped by TypeORM', wrapped(sqlite('SQLITE_FULL'))],
    ['the cause of a rolled-back transaction', new Error('rolled back', { cause: wrapped(sqlite('SQLITE_FULL')) })],
  ])('%s is "full"', (_name, err) => {
    expect(classifyInfrastructureError(err)).toBe('full');
  });

  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED', errno: -111 })],
    ['connection lost', mysql('PROTOCOL_CONNECTION_LOST', 0)],
    ['server shutting down', mysql('ER_SERVER_SHUTDOWN', 1053)],
    ['connection killed', mysql('ER_CONNECTION_KILLED', 1927)],
    ['a deadlock (Galera certification too)', wrapped(mysql('ER_LOCK_DEADLOCK', 1213))],
    ['a lock wait timeout', wrapped(mysql('ER_LOCK_WAIT_TIMEOUT', 1205))],
    ['SQLite busy', sqlite('SQLITE_BUSY')],
    ['SQLite I/O error', sqlite('SQLITE_IOERR_WRITE')],
    ['a closed pool', new Error('Pool is closed.')],
    ['a closed SQLite file', new TypeError('The database connection is not open')],
    ['a command on a closed connection', new Error("Can't add new command when connection is in closed state")],
  ])('%s is "unavailable"', (_name, err) => {
    expect(classifyInfrastructureError(err)).toBe('unavailable');
  });

  it.each([
    ['a plain error', new Error('boom')],
    ['a constraint violation', wrapped(sqlite('SQLITE_CONSTRAINT_UNIQUE'))],
    ['a duplicate key', wrapped(mysql('ER_DUP_ENTRY', 1062))],
    ['a syntax error', wrapped(mysql('ER_PARSE_ERROR', 1064))],
    ['a missing file', Object.assign(new Error('ENOENT'), { code: 'ENOENT' })],
    ['not an error', 'text'],
    ['nothing', undefined],
  ])('%s is ours', (_name, err) => {
    expect(classifyInfrastructureError(err)).toBeUndefined();
  });
});
