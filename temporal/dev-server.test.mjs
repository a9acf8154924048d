// Runs the real dev server (node --test; no npm dependencies). Guards what the apps rely on:
// every payment search attribute exists, also on a DB file from before an attribute was added.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ensureTemporalCli } from './cli.mjs';
import { freePort, searchAttributes, startDevServer } from './dev-server.mjs';
import { startTestServer } from './test-server.mjs';

const execFileAsync = promisify(execFile);
const quiet = () => {};

async function customAttributes(cliPath, address, namespace) {
  const args = ['operator', 'search-attribute', 'list', '--address', address, '--namespace', namespace, '-o', 'json'];
  return JSON.parse((await execFileAsync(cliPath, args)).stdout).customAttributes;
}

test('startDevServer on a DB file that lacks attributes (added since it was created) → creates them', { timeout: 120_000 }, async () => {
  const cliPath = await ensureTemporalCli({ log: quiet });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dev-server-test-'));
  const options = { cliPath, dataDir, namespace: 'payments', headless: true, log: quiet };
  try {
    const first = await startDevServer({ ...options, port: await freePort() });
    const expected = Object.fromEntries(
      Object.entries(searchAttributes).map(([name, type]) => [name, `INDEXED_VALUE_TYPE_${type.toUpperCase()}`]),
    );
    assert.deepEqual(await customAttributes(cliPath, first.address, 'payments'), expected);
    // Stand-in for an older DB file: drop two attributes, as if they had been added to the JSON since.
    await execFileAsync(cliPath, ['operator', 'search-attribute', 'remove', '--address', first.address,
      '--namespace', 'payments', '--name', 'PosId', '--name', 'PaymentAmount', '--yes']);
    await first.stop();

    const second = await startDevServer({ ...options, port: await freePort() });
    try {
      assert.deepEqual(await customAttributes(cliPath, second.address, 'payments'), expected);
      // Ready means usable: a start that sets the re-created attributes is accepted at once
      // (the server reads attributes from its cache, which learns new ones only on refresh).
      const conn = ['--address', second.address, '--namespace', 'payments'];
      await execFileAsync(cliPath, ['workflow', 'start', ...conn, '--type', 'paymentWorkflow', '--task-queue', 'none',
        '--workflow-id', 'uses-new-attributes', '--search-attribute', 'PosId="SIE1"', '--search-attribute', 'PaymentAmount=398']);
    } finally {
      await second.stop();
    }
    assert.equal(second.process.exitCode ?? second.process.signalCode, 0, 'the server exits cleanly on SIGTERM');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('startDevServer on a port already in use → rejects with the server\'s reason', { timeout: 60_000 }, async () => {
  const running = await startTestServer({ log: quiet });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dev-server-test-'));
  try {
    const port = Number(running.address.split(':').at(-1));
    await assert.rejects(
      startDevServer({ cliPath: await ensureTemporalCli({ log: quiet }), dataDir, port, headless: true, log: quiet }),
      /stopped before it was ready: .*address already in use/,
    );
  } finally {
    await running.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
