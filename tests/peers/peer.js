#!/usr/bin/env node
// Starts and stops a Kinesis emulator for the integration tests (CTest fixtures).
//
//   node peer.js start <kinesalite|kinesismock> <stateDir>
//   node peer.js start sandbox <stateDir> <kwb binary>
//   node peer.js stop  <kinesalite|kinesismock|sandbox> <stateDir>
//
// start: picks free ports on 127.0.0.1, launches the peer detached with loopback-only.js
// preloaded (neither emulator has a listen-address option), waits until it answers, and writes
// <stateDir>/<peer>.endpoint (the URL) and <stateDir>/<peer>.pid. stop: SIGTERM, then SIGKILL
// after a grace period, and removes the files. A stale peer from an interrupted run is stopped
// before a new one starts, so no process is left behind. The sandbox (`kwb sandbox --port 0`)
// listens on loopback by itself and prints its URL as the first line on stdout, which is how
// it is found and known to be ready.
'use strict';

const fs = require('fs');
const net = require('net');
const path = require('path');
const http = require('http');
const { spawn } = require('child_process');

const here = __dirname;
const modules = path.join(here, 'node_modules');
const preload = path.join(here, 'loopback-only.js');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const peers = {
  kinesalite: {
    async launch() {
      const port = await freePort();
      const cli = path.join(modules, 'kinesalite', 'cli.js');
      return {
        port,
        args: ['-r', preload, cli, '--port', String(port), '--createStreamMs', '0',
          '--deleteStreamMs', '0', '--updateStreamMs', '0', '--shardLimit', '1000'],
        env: {},
        // kinesalite is ready once any HTTP answer comes back.
        ready: { method: 'POST', path: '/', accept: () => true },
      };
    },
  },
  kinesismock: {
    async launch() {
      const port = await freePort();
      const tlsPort = await freePort();
      const dir = path.join(modules, 'kinesis-local');
      return {
        port,
        tlsPort,
        args: ['-r', preload, path.join(dir, 'main.js')],
        env: {
          KINESIS_MOCK_PLAIN_PORT: String(port),
          KINESIS_MOCK_TLS_PORT: String(tlsPort),
          KINESIS_MOCK_CERT_PATH: path.join(dir, 'server.json'),
          CREATE_STREAM_DURATION: '0ms',
          DELETE_STREAM_DURATION: '0ms',
          UPDATE_STREAM_DURATION: '0ms',
          SHARD_LIMIT: '1000',
          LOG_LEVEL: 'WARN',
        },
        ready: { method: 'GET', path: '/healthcheck', accept: (status) => status === 200 },
      };
    },
  },
  sandbox: {
    async launch(kwb) {
      if (!kwb) throw new Error('the sandbox peer needs the path of the kwb binary');
      // No write limits: like the two emulators, so that the same tests (which write 10,000
      // records in well under a second) pass unchanged; the limits have tests of their own.
      return { command: kwb, args: ['sandbox', '--port', '0', '--no-limits'], env: {}, urlFromStdout: true };
    },
  },
};

function probe(port, ready) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: ready.method, path: ready.path, timeout: 1000 },
      (res) => { res.resume(); resolve(ready.accept(res.statusCode)); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function stopPid(pid, graceMs) {
  if (!alive(pid)) return;
  try { process.kill(-pid, 'SIGTERM'); } catch { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return;
    await sleep(100);
  }
  try { process.kill(-pid, 'SIGKILL'); } catch { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  for (let i = 0; i < 50 && alive(pid); ++i) await sleep(100);
}

function files(name, stateDir) {
  return {
    endpoint: path.join(stateDir, `${name}.endpoint`),
    tlsEndpoint: path.join(stateDir, `${name}.tls-endpoint`),
    pid: path.join(stateDir, `${name}.pid`),
    log: path.join(stateDir, `${name}.log`),
    stdout: path.join(stateDir, `${name}.stdout`),
  };
}

async function stop(name, stateDir) {
  const f = files(name, stateDir);
  if (fs.existsSync(f.pid)) {
    const pid = Number(fs.readFileSync(f.pid, 'utf8').trim());
    // kinesis-mock can take ~30 s to honour SIGTERM; it holds no data worth a clean stop.
    if (pid > 0) await stopPid(pid, name === 'kinesismock' ? 2000 : 5000);
    fs.rmSync(f.pid, { force: true });
  }
  fs.rmSync(f.endpoint, { force: true });
  fs.rmSync(f.tlsEndpoint, { force: true });
  fs.rmSync(f.stdout, { force: true });
}

// The first line a peer wrote to stdout (the sandbox's endpoint URL), or null before it did.
function firstLine(file) {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const end = text.indexOf('\n');
  return end < 0 ? null : text.slice(0, end).trim();
}

async function start(name, stateDir, extra) {
  const peer = peers[name];
  if (!peer) throw new Error(`unknown peer '${name}'; known: ${Object.keys(peers).join(', ')}`);
  if (!fs.existsSync(modules)) {
    throw new Error(`${modules} is missing: run 'npm ci' in tests/peers (make test does this)`);
  }
  fs.mkdirSync(stateDir, { recursive: true });
  await stop(name, stateDir);
  const f = files(name, stateDir);
  const launch = await peer.launch(extra);
  const log = fs.openSync(f.log, 'w');
  const out = launch.urlFromStdout ? fs.openSync(f.stdout, 'w') : log;
  const child = spawn(launch.command || process.execPath, launch.args, {
    env: Object.assign({}, process.env, launch.env),
    stdio: ['ignore', out, log],
    detached: true, // own process group: stop() kills the whole group
  });
  fs.writeFileSync(f.pid, String(child.pid));
  child.unref();
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (!alive(child.pid)) break;
    const announced = launch.urlFromStdout ? firstLine(f.stdout) : null;
    if (announced || (!launch.urlFromStdout && await probe(launch.port, launch.ready))) {
      const url = announced || `http://127.0.0.1:${launch.port}`;
      fs.writeFileSync(f.endpoint, url);
      // kinesis-mock also serves TLS with a self-signed certificate: tests use it to check
      // that certificate verification is never switched off.
      if (launch.tlsPort) fs.writeFileSync(f.tlsEndpoint, `https://127.0.0.1:${launch.tlsPort}`);
      console.log(`${name} ready at ${url} (pid ${child.pid})`);
      return;
    }
    await sleep(100);
  }
  const tail = fs.existsSync(f.log) ? fs.readFileSync(f.log, 'utf8').slice(-2000) : '';
  await stop(name, stateDir);
  throw new Error(`${name} did not become ready within 60 s. Its log:\n${tail}`);
}

async function main() {
  const [command, name, stateDir, extra] = process.argv.slice(2);
  if (!['start', 'stop'].includes(command) || !name || !stateDir) {
    console.error('usage: node peer.js start|stop <kinesalite|kinesismock|sandbox> <stateDir> [kwb binary]');
    process.exit(2);
  }
  if (command === 'start') await start(name, path.resolve(stateDir), extra);
  else await stop(name, path.resolve(stateDir));
}

main().catch((err) => { console.error(`peer.js: ${err.message}`); process.exit(1); });
