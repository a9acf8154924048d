import { createSpiClient, SpiClientError } from '@payments/contract';
import { parsePosArgs, USAGE, UsageError } from './args';
import { runRegister } from './register';
import { TerminalDisplay } from './terminal-display';

/** `npm run pos -- sale 398.00`: one payment as Sitoo POS runs it. Exit 0 completed, 1 cancelled, 2 usage or SPI error. */
async function main(): Promise<number> {
  let command;
  try {
    command = parsePosArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`pos: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const client = createSpiClient({
    baseUrl: command.url,
    username: command.user,
    password: command.password,
    headers: { 'Register-ID': encodeURIComponent(command.posid) },
  });
  const display = new TerminalDisplay(process.stdout, command.width);
  const cancel = new AbortController();
  process.on('SIGINT', () => {
    if (cancel.signal.aborted) process.exit(130);
    display.problem('cancel pressed: the register cancels the payment (Ctrl-C again to quit at once)');
    cancel.abort();
  });

  display.banner(command);
  try {
    const outcome = await runRegister({ client, command, display, cancel: cancel.signal });
    display.done(outcome);
    return outcome.state === 'completed' ? 0 : 1;
  } catch (err) {
    display.clearSpinner();
    const detail = err instanceof SpiClientError && err.body ? ` (${err.body.error_code}, request ${err.body.request_id})` : '';
    process.stderr.write(`pos: ${err instanceof Error ? err.message : String(err)}${detail}\n`);
    return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
