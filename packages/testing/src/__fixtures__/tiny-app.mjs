// A stand-in app for the launcher's tests: logs a line, serves /healthz on PORT, and can
// die while starting (EXIT_AT_START) or ignore SIGTERM (IGNORE_SIGTERM), as a hung app would.
import http from 'node:http';

console.log(`tiny-app starting on ${process.env.PORT}`);
if (process.env.EXIT_AT_START) process.exit(Number(process.env.EXIT_AT_START));
if (process.env.IGNORE_SIGTERM) process.on('SIGTERM', () => console.log('SIGTERM ignored'));
http
  .createServer((req, res) => {
    res.statusCode = req.url === '/healthz' ? 200 : 404;
    res.end();
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
