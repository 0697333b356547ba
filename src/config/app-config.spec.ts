import { ConfigValidationError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working defaults for a newcomer', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, DATA_DIR: './data', PUBLIC_URL: 'http://localhost:3000', MIGRATIONS_RUN: true });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.SMTP_URL).toBeUndefined();
    expect(c.cookieSecure).toBe(false);
  });

  it('reads and converts values', () => {
    const c = loadConfig({ PORT: '8080', MIGRATIONS_RUN: 'false', PUBLIC_URL: 'https://vendors.example.com', DATABASE_URL: 'mysql://u:p@db:3306/vendors' });
    expect(c.PORT).toBe(8080);
    expect(c.MIGRATIONS_RUN).toBe(false);
    expect(c.cookieSecure).toBe(true);
    expect(c.DATABASE_URL).toBe('mysql://u:p@db:3306/vendors');
  });

  it('reports one line per bad variable, without echoing secrets', () => {
    let error: ConfigValidationError | undefined;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://u:hunter2@x/db', ADMIN_PASSWORD: 'short', PUBLIC_URL: 'localhost', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e as ConfigValidationError;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const names = error!.problems.map((p) => p.split(':')[0]).sort();
    expect(names).toEqual(['ADMIN_PASSWORD', 'DATABASE_URL', 'LOG_LEVEL', 'PORT', 'PUBLIC_URL']);
    expect(error!.message).not.toContain('hunter2');
    expect(error!.message).not.toContain('short');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', SMTP_URL: '', PORT: '' }).PORT).toBe(3000);
  });
});
