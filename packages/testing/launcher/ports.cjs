// Free loopback ports for the processes the launcher starts.
'use strict';
const net = require('node:net');

/** A port that was free a moment ago on loopback (the kernel's pick, above 32767). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** n ports that were free a moment ago, all different: nothing listens on them until the processes start. */
async function distinctFreePorts(n) {
  const ports = new Set();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/**
 * n free ports below 32768, all different, for the Temporal server on PostgreSQL: its schema
 * keeps a service's port in a smallint (cluster_membership.rpc_port), and the kernel's
 * ephemeral ports are all above.
 */
async function distinctLowFreePorts(n) {
  const ports = new Set();
  while (ports.size < n) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!ports.has(port) && (await portIsFree(port))) ports.add(port);
  }
  return [...ports];
}

/** Whether nothing listens on the loopback port (any more). */
function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

module.exports = { freePort, distinctFreePorts, distinctLowFreePorts, portIsFree };
