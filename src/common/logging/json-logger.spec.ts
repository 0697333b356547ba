import { JsonLogger, redact } from './json-logger';

describe('log redaction', () => {
  it.each([
    ['Authorization: Bearer abc.def', 'Authorization: Bearer [redacted]'],
    ['{"password":"hunter2hunter2"}', '{"password":"[redacted]"}'],
    ['token=abc123&x=1', 'token=[redacted]&x=1'],
    ['cookie: vdp_session=xyz', 'cookie: [redacted]'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });
});

describe('JsonLogger', () => {
  it('writes one JSON object a line and drops messages under its level', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const logger = new JsonLogger('info');
      logger.log('hello', 'Test');
      logger.debug('hidden', 'Test');
      logger.log('Mapped {/x, GET} route', 'RouterExplorer');
      logger.error('password=secret-value', 'Test');
    } finally {
      spy.mockRestore();
    }
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 30, context: 'Test', msg: 'hello' });
    expect(JSON.parse(lines[1]).msg).toBe('password=[redacted]');
  });
});
