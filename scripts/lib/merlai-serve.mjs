// Starts `merlai serve` for the JavaScript tests (the API client's, the studio's end to end): every server on a free
// loopback port, a data folder of its own; stop() ends it and removes the folder.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVERS = ['http', 's3', 'redis', 'render', 'recommend', 'train', 'router'];
const STARTED = 'Merlai is running';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

/**
 * `merlai serve` of the repository at `repo`, resolved once it says it is running (at most `timeoutMs`).
 * `echo` copies its output to this process's stderr. -> { origin, data, stop() }
 */
export async function startMerlaiServe(repo, { echo = false, timeoutMs = 480_000 } = {}) {
  const data = await mkdtemp(join(tmpdir(), 'merlai-serve-'));
  const ports = {};
  const chosen = new Set();
  for (const name of SERVERS) {
    // the system may hand a just-closed port out again: each server gets a port of its own
    do ports[name] = await freePort(); while (chosen.has(ports[name]));
    chosen.add(ports[name]);
  }
  const args = ['serve', '--data', data, ...SERVERS.flatMap((name) => [`--${name}-port`, String(ports[name])])];
  const serve = spawn(join(repo, 'bin', 'merlai'), args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`merlai serve did not start in ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const read = (chunk) => {
      if (echo) process.stderr.write(chunk);
      if (output.includes(STARTED)) return;
      output += chunk;
      if (output.includes(STARTED)) { clearTimeout(timer); resolve(); }
    };
    serve.stdout.on('data', read);
    serve.stderr.on('data', read);
    serve.once('exit', (code) => { clearTimeout(timer); reject(new Error(`merlai serve exited (${code}):\n${output}`)); });
  });
  return {
    origin: `http://127.0.0.1:${ports.http}`,
    data,
    async stop() {
      if (serve.exitCode === null && serve.signalCode === null) {
        const exited = new Promise((resolve) => serve.once('exit', resolve));
        process.kill(-serve.pid, 'SIGTERM');
        await exited;
      }
      await rm(data, { recursive: true, force: true });
    },
  };
}
