import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Target } from './scenario';

/** The floor server in a process of its own (as the API is), on a free port. */
export class Floor {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(approveDelayMs: number): Promise<Floor> {
    const child = spawn(process.execPath, [path.join(__dirname, 'floor-server.js'), '0'], {
      env: { ...process.env, NODE_ENV: 'production', SIM_APPROVE_DELAY_MS: String(approveDelayMs) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the floor server exited with ${code}`)));
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = /^floor listening (\d+)/.exec(line);
        if (m) resolve(Number(m[1]));
      });
    });
    return new Floor(child, `http://127.0.0.1:${port}`);
  }

  target(): Target {
    return {
      name: 'floor',
      url: this.url,
      credential: { username: 'floor', password: 'floor' },
      pids: { floor: this.child.pid ?? 0 },
      approvals: async () => {
        const res = await fetch(`${this.url}/floor/approvals`);
        return new Map(Object.entries((await res.json()) as Record<string, number>));
      },
    };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}
