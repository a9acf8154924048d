// A load balancer in front of the API instances, as production runs them: it sends each request
// to the next instance whose /readyz answered 200 at its last probe, and takes an instance out
// as soon as a probe fails (a draining API answers 503). A request whose connection is refused
// before anything was sent goes to the next instance (HAProxy's retry-on conn-failure); nothing
// else is retried, so a register sees every other answer as the API gave it.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadBalancerOptions {
  backends: readonly string[];
  /** How often each backend's /readyz is probed. */
  probeEveryMs?: number;
}

export class LoadBalancer {
  readonly url: string;
  private readonly ready = new Map<string, boolean>();
  private next = 0;
  private readonly agent = new http.Agent({ keepAlive: true });

  private constructor(
    private readonly server: http.Server,
    private readonly backends: readonly string[],
    private readonly probe: NodeJS.Timeout,
  ) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(o: LoadBalancerOptions): Promise<LoadBalancer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const probe = setInterval(() => void lb.probeAll(), o.probeEveryMs ?? 200);
    const lb = new LoadBalancer(server, o.backends, probe);
    await lb.probeAll();
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => void lb.forward(req, res));
    return lb;
  }

  /** Which backends take requests now. */
  get inRotation(): string[] {
    return this.backends.filter((b) => this.ready.get(b));
  }

  private async probeAll(): Promise<void> {
    await Promise.all(
      this.backends.map(async (b) => {
        try {
          const res = await fetch(`${b}/readyz`, { signal: AbortSignal.timeout(1000) });
          await res.body?.cancel();
          this.ready.set(b, res.status === 200);
        } catch {
          this.ready.set(b, false);
        }
      }),
    );
  }

  private pick(exclude: Set<string>): string | undefined {
    const candidates = this.inRotation.filter((b) => !exclude.has(b));
    if (candidates.length === 0) return undefined;
    return candidates[this.next++ % candidates.length];
  }

  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const tried = new Set<string>();
    for (;;) {
      const backend = this.pick(tried);
      if (!backend) {
        res.writeHead(502, { 'content-type': 'text/plain' }).end('no API instance in rotation');
        return;
      }
      tried.add(backend);
      const refused = await new Promise<boolean>((resolve) => {
        const upstream = http.request(`${backend}${req.url ?? '/'}`, { method: req.method, headers: req.headers, agent: this.agent }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => resolve(false));
        });
        upstream.on('error', (err: NodeJS.ErrnoException) => {
          if (err.code === 'ECONNREFUSED' && !res.headersSent) return resolve(true);
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`upstream ${backend}: ${err.message}`);
          resolve(false);
        });
        upstream.end(body);
      });
      if (!refused) return;
      this.ready.set(backend, false);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.probe);
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
