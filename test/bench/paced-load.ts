import * as http from 'node:http';

/**
 * Open-loop load: a number of clients (vendors, say), each sending its requests one after another
 * at random moments, on average `rate` a second (exponential gaps, so arrivals from all clients
 * together are a Poisson stream), over a keep-alive connection of its own. This is how people use
 * the portal: each vendor's page saves when they stop typing, not the instant the last reply lands.
 *
 * Latency is measured from the moment a request was due, not from when it could be sent: when a
 * client's previous request is still in flight, the wait counts (as the portal page queues a save
 * behind the one in flight). So a slow app cannot hide its slowness by slowing the load down
 * (no coordinated omission).
 *
 * autocannon's own rate option is not used: it lets each connection send its quota back to back
 * at the start of every second, a burst every second rather than a rate.
 */
export interface PacedRequest {
  path: string;
  body?: string;
  headers?: Record<string, string>;
  tag?: number;
}

export interface PacedLoadOptions {
  baseUrl: string;
  method: 'GET' | 'POST' | 'PUT';
  headers: Record<string, string>;
  clients: number;
  /** Mean requests per second of each client. */
  rate: number;
  seconds: number;
  /** The next request of one client. */
  next: (client: number) => PacedRequest;
  onResponse?: (status: number, body: string, tag: number | undefined) => void;
}

export interface PacedLoadResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  statusCodes: string;
  seconds: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export async function pacedLoad(opts: PacedLoadOptions): Promise<PacedLoadResult> {
  const url = new URL(opts.baseUrl);
  const latencies: number[] = [];
  const codes = new Map<number, number>();
  let errors = 0;
  const started = performance.now();
  const end = started + opts.seconds * 1000;
  const agents: http.Agent[] = [];

  const client = async (n: number): Promise<void> => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    // Clients start at random moments of the first gap, not all at once.
    let due = started + gap(opts.rate);
    // Until the end of the run: a client that has fallen behind stops too, its waits counted.
    while (due < end && performance.now() < end) {
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const req = opts.next(n);
      try {
        const { status, body } = await send(url, agent, opts.method, { ...opts.headers, ...req.headers }, req.path, req.body, opts.onResponse !== undefined);
        latencies.push(performance.now() - due);
        codes.set(status, (codes.get(status) ?? 0) + 1);
        opts.onResponse?.(status, body, req.tag);
      } catch {
        errors++;
      }
      due += gap(opts.rate);
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, n) => client(n)));
  for (const a of agents) a.destroy();

  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] : 0);
  const ok = [...codes].filter(([s]) => s >= 200 && s < 300).reduce((sum, [, count]) => sum + count, 0);
  return {
    requests: latencies.length + errors,
    ok,
    non2xx: latencies.length - ok,
    errors,
    statusCodes: [...codes]
      .filter(([s]) => s < 200 || s >= 300)
      .map(([s, count]) => `${s}×${count}`)
      .join(' '),
    seconds: (performance.now() - started) / 1000,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: latencies.length ? latencies[latencies.length - 1] : 0,
  };
}

/** An exponentially distributed gap with the given mean rate, in ms. */
function gap(ratePerSecond: number): number {
  return (-Math.log(1 - Math.random()) / ratePerSecond) * 1000;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends one request and reads its reply to the end; the body is decoded only when `keepBody` (a page's 170 KB would load the load generator). */
function send(url: URL, agent: http.Agent, method: string, headers: Record<string, string>, path: string, body: string | undefined, keepBody: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          if (keepBody) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}
