// Loaded into the API and worker with `node --require` by the bench only: writes the process's
// memoryUsage() to BENCH_MEMORY_FILE once a second, so the bench can read the heap from outside.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  setInterval(() => {
    try {
      writeFileSync(file, JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
    } catch {
      // The bench may have removed its run folder already.
    }
  }, 1000).unref();
}
