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

  it('reads reminder offsets as lists of days, with the defaults of the issue', () => {
    expect(loadConfig({})).toMatchObject({ REMINDER_QUESTIONNAIRE_DUE_DAYS: [7, 1], REMINDER_CONTRACT_NOTICE_DAYS: [60, 30, 7], REMINDER_REVIEW_DUE_DAYS: [30, 7], REMINDERS_ENABLED: true });
    expect(loadConfig({ REMINDER_CONTRACT_NOTICE_DAYS: '90, 45,10', REMINDERS_ENABLED: 'no' })).toMatchObject({ REMINDER_CONTRACT_NOTICE_DAYS: [90, 45, 10], REMINDERS_ENABLED: false });
  });

  it.each(['60;30', 'soon', '0,7', '60,-1', '5000'])('refuses the reminder offsets %j', (value) => {
    expect(() => loadConfig({ REMINDER_CONTRACT_NOTICE_DAYS: value })).toThrow(/REMINDER_CONTRACT_NOTICE_DAYS: .*comma-separated list of whole days/);
  });
});
