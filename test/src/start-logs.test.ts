// `npm start` runs its processes behind pipes, so they cannot see the person's terminal
// themselves: scripts/start.mjs looks at its own stdout and tells them (scripts/child-log-env.mjs).
import { execFile } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** childLogEnv(env, { isTTY }) as start.mjs calls it, run in plain Node (the script is ESM). */
function childLogEnv(env: Record<string, string>, isTTY: boolean): Promise<Record<string, string>> {
  const code = `import { childLogEnv } from './scripts/child-log-env.mjs';
    console.log(JSON.stringify(childLogEnv(${JSON.stringify(env)}, { isTTY: ${isTTY} })));`;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as Record<string, string>))),
  );
}

test('npm start in a terminal → its processes are told LOG_FORMAT=pretty (with colour)', async () => {
  expect(await childLogEnv({}, true)).toEqual({ LOG_FORMAT: 'pretty', FORCE_COLOR: '1' });
  expect(await childLogEnv({ NO_COLOR: '1' }, true)).toEqual({ LOG_FORMAT: 'pretty' });
});

test('npm start into a pipe or file, with NODE_ENV=production, or with LOG_FORMAT set → nothing added: JSON lines, or what was asked', async () => {
  expect(await childLogEnv({}, false)).toEqual({});
  expect(await childLogEnv({ NODE_ENV: 'production' }, true)).toEqual({});
  expect(await childLogEnv({ LOG_FORMAT: 'json' }, true)).toEqual({});
});
