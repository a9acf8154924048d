import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { emptyState, type SimState } from './state';

/**
 * The simulator's state on disk. Every change is written whole to a temp file, synced and
 * renamed over the ledger, so a crash leaves either the old or the new file, never a torn one.
 * Writes are grouped: callers that change the state while a write runs share the next one.
 */
export class LedgerStore {
  private dirty = false;
  private inFlight: Promise<void> | null = null;

  private constructor(
    readonly file: string,
    readonly state: SimState,
  ) {}

  /** Loads the ledger, or starts empty when there is none; a file that does not parse stops the start. */
  static async open(file: string): Promise<LedgerStore> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new LedgerStore(file, emptyState());
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Never overwrite money records we cannot read: an operator must look at the file.
      throw new Error(`${file} is not valid JSON; move it away to start with an empty ledger`);
    }
    const state = parsed as Partial<SimState>;
    if (state.version !== 1 || typeof state.payments !== 'object') throw new Error(`${file} is not a simulator ledger (version 1)`);
    return new LedgerStore(file, { ...emptyState(), ...state } as SimState);
  }

  /** Resolves once the state as it is now is on disk. */
  async commit(): Promise<void> {
    this.dirty = true;
    while (this.dirty || this.inFlight) {
      if (this.inFlight) {
        // Someone else's write: it may predate our change, so wait and look again.
        await this.inFlight.catch(() => undefined);
        continue;
      }
      this.dirty = false;
      this.inFlight = this.write(JSON.stringify(this.state, null, 1)).finally(() => {
        this.inFlight = null;
      });
      try {
        await this.inFlight;
      } catch (err) {
        this.dirty = true; // the next commit tries again
        throw err;
      }
    }
  }

  private async write(text: string): Promise<void> {
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(tmp, this.file);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }
}
