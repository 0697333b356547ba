import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pacedLoad } from './paced-load';

/**
 * The open load of the benchmark decides whether portal targets pass, so its accounting is
 * tested: against a server that takes a fixed 40 ms per request, latency must count the wait of
 * a request that fell due while its client's previous one was in flight.
 */
describe('pacedLoad', () => {
  const DELAY_MS = 40;
  let server: Server;
  let baseUrl: string;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers['x-client']} ${body}`);
        setTimeout(() => res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain' }).end(`ok ${req.url}`), DELAY_MS);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (seen.length = 0));

  it('sends each client its own requests at about the rate asked, and hands replies back with their tags', async () => {
    const replies: Array<[number, string, number | undefined]> = [];
    const r = await pacedLoad({
      baseUrl,
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      clients: 4,
      rate: 5,
      seconds: 2,
      next: (client) => ({ path: `/c${client}`, headers: { 'x-client': String(client) }, body: `from ${client}`, tag: client }),
      onResponse: (status, body, tag) => replies.push([status, body, tag]),
    });
    // 4 clients × 5 a second × 2 s = 40 on average; exponential gaps make it vary.
    expect(r.requests).toBeGreaterThan(15);
    expect(r.requests).toBeLessThan(70);
    expect(r.ok).toBe(r.requests);
    expect(r.errors).toBe(0);
    expect(seen.every((line) => /^PUT \/c(\d) \1 from \1$/.test(line))).toBe(true);
    expect(replies.every(([status, body, tag]) => status === 200 && body === `ok /c${tag}`)).toBe(true);
    // Far apart, requests do not wait: about the server's own time.
    expect(r.p50).toBeGreaterThanOrEqual(DELAY_MS - 1);
    expect(r.p50).toBeLessThan(DELAY_MS * 3);
  });

  it('counts from when a request was due, so a client falling behind shows as latency (no coordinated omission)', async () => {
    // One client asked for 100 a second from a server that answers 25: each request waits longer.
    const r = await pacedLoad({ baseUrl, method: 'GET', headers: {}, clients: 1, rate: 100, seconds: 1, next: () => ({ path: '/slow' }) });
    expect(r.requests).toBeLessThanOrEqual(27);
    // Measured from the send, every request would take about 40 ms; from when it was due, the
    // last ones have waited for most of the second.
    expect(r.max).toBeGreaterThan(500);
    expect(r.p99).toBeGreaterThan(500);
  });

  it('counts replies other than 2xx apart, by status', async () => {
    const r = await pacedLoad({ baseUrl, method: 'GET', headers: {}, clients: 2, rate: 10, seconds: 1, next: () => ({ path: '/missing' }) });
    expect(r.requests).toBeGreaterThan(0);
    expect(r.ok).toBe(0);
    expect(r.non2xx).toBe(r.requests);
    expect(r.statusCodes).toBe(`404×${r.requests}`);
  });
});
