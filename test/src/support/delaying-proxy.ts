// A TCP proxy between one process and Temporal whose answers can be held back: the requests
// reach Temporal at once, what Temporal sends back arrives `delayMs` later, in order. So a start
// lands at the server while the caller's deadline runs out waiting for its answer.
import * as net from 'node:net';

/** A loopback TCP proxy to `target` (host:port); set `delayMs` to slow the way back. */
export class DelayingProxy {
  /** How long each chunk from Temporal is held before it is passed on. */
  delayMs = 0;
  private readonly server = net.createServer((client) => this.connect(client));
  private readonly sockets = new Set<net.Socket>();
  private readonly target: { host: string; port: number };
  port = 0;

  private constructor(target: string) {
    const [host, port] = target.split(':') as [string, string];
    this.target = { host, port: Number(port) };
  }

  /** Listens on a free loopback port. */
  static async start(target: string): Promise<DelayingProxy> {
    const proxy = new DelayingProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as net.AddressInfo).port;
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  private connect(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    // Held in order: each chunk leaves no sooner than delayMs after it came, and after the one before.
    let lastOut = 0;
    upstream.on('data', (chunk: Buffer) => {
      const at = Math.max(Date.now() + this.delayMs, lastOut);
      lastOut = at;
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk);
      }, at - Date.now());
    });
    upstream.on('end', () => setTimeout(() => client.end(), Math.max(0, lastOut - Date.now())));
    client.on('end', () => upstream.end());
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
