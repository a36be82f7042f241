// Signaling load: real protoo-client peers over WebSockets against a running server.
//
//   node load.mjs --url wss://127.0.0.1:4443 [--pid SERVER_PID] [--peers 200] [--rooms 10]
//                 [--concurrency 20] [--crowd 100]
//
// Against a cluster: --url and --pid take comma-separated lists; peers are spread over the URLs in turn
// and the CPU is the sum over the processes; with --cluster http://…/cluster the report adds the rooms
// each node hosts at the end, with every peer still connected.
//
// 1. Room workload: --peers peers spread over --rooms rooms, --concurrency at a time. Each opens its
//    WebSocket, asks getRouterRtpCapabilities, joins with a Chrome device, the router's capabilities
//    as its rtpCapabilities and sctpCapabilities, renames itself three times, and stays connected.
//    Reports requests/s (requests over the workload's wall time), request latency percentiles and,
//    with --pid, the server's CPU time (user + system, /proc) per request.
// 2. Crowd: --crowd peers open their WebSockets, then all join one new room at once. Reports the time
//    from sending the joins until every join is answered and every newPeer (n·(n−1)/2) has arrived.
import { readFileSync } from 'node:fs';
import protooClient from 'protoo-client';

process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the server's self-signed certificate

const options = { url: 'wss://127.0.0.1:4443', pid: null, peers: 200, rooms: 10, concurrency: 20, crowd: 100, cluster: null };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  if (!(key in options)) throw new Error(`unknown option ${process.argv[i]}`);
  options[key] = ['url', 'pid', 'cluster'].includes(key) ? process.argv[i + 1] : Number(process.argv[i + 1]);
}
const urls = options.url.split(',');
const pids = options.pid ? options.pid.split(',').map(Number) : [];
let connections = 0;

const device = { flag: 'chrome', name: 'Chrome', version: '131.0.0.0' };
const sctpCapabilities = { numStreams: { OS: 1024, MIS: 1024 } };
const run = Date.now().toString(36);
const openPeers = [];

function cpuSeconds() {
  // /proc/PID/stat: fields 14 and 15 are utime and stime in clock ticks (100 per second here).
  return pids.reduce((sum, pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return sum + (Number(fields[11]) + Number(fields[12])) / 100;
  }, 0);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function connect(roomId, peerId) {
  const url = urls[connections++ % urls.length];
  const transport = new protooClient.WebSocketTransport(`${url}/?roomId=${roomId}&peerId=${peerId}`, { retry: { retries: 0 } });
  const peer = new protooClient.Peer(transport);
  await new Promise((resolve, reject) => {
    peer.once('open', resolve);
    peer.once('failed', () => reject(new Error(`${peerId}: WebSocket failed`)));
  });
  openPeers.push(peer);
  return peer;
}

async function timed(latencies, peer, method, data) {
  const start = process.hrtime.bigint();
  const response = await peer.request(method, data);
  latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  return response;
}

async function roomWorkload() {
  const latencies = [];
  let next = 0;
  const cpuBefore = pids.length > 0 ? cpuSeconds() : null;
  const start = process.hrtime.bigint();
  async function worker() {
    while (next < options.peers) {
      const index = next++;
      const peer = await connect(`load-${run}-${index % options.rooms}`, `peer-${index}`);
      const routerRtpCapabilities = await timed(latencies, peer, 'getRouterRtpCapabilities');
      await timed(latencies, peer, 'join', { displayName: `Peer ${index}`, device, rtpCapabilities: routerRtpCapabilities, sctpCapabilities });
      for (let rename = 1; rename <= 3; rename++) {
        await timed(latencies, peer, 'changeDisplayName', { displayName: `Peer ${index} (${rename})` });
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = pids.length > 0 ? cpuSeconds() - cpuBefore : null;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds: +seconds.toFixed(3),
    requestsPerSecond: Math.round(latencies.length / seconds),
    latencyMs: { p50: +percentile(latencies, 50).toFixed(1), p90: +percentile(latencies, 90).toFixed(1), p99: +percentile(latencies, 99).toFixed(1), max: +latencies[latencies.length - 1].toFixed(1) },
    serverCpuMicrosecondsPerRequest: cpu === null ? null : Math.round((cpu * 1e6) / latencies.length),
  };
}

async function crowd() {
  const roomId = `crowd-${run}`;
  const peers = [];
  const connectStart = process.hrtime.bigint();
  for (let i = 0; i < options.crowd; i++) peers.push(connect(roomId, `crowd-${i}`));
  const connected = await Promise.all(peers);
  const connectSeconds = Number(process.hrtime.bigint() - connectStart) / 1e9;
  const rtpCapabilities = await connected[0].request('getRouterRtpCapabilities');
  const expected = (options.crowd * (options.crowd - 1)) / 2;
  let newPeers = 0;
  let joined = 0;
  const start = process.hrtime.bigint();
  const done = new Promise((resolve) => {
    const check = () => { if (joined === options.crowd && newPeers === expected) resolve(); };
    for (const peer of connected) {
      peer.on('notification', (notification) => { if (notification.method === 'newPeer') { newPeers++; check(); } });
    }
    connected.forEach((peer, i) => {
      peer.request('join', { displayName: `Crowd ${i}`, device, rtpCapabilities, sctpCapabilities })
        .then(() => { joined++; check(); });
    });
  });
  await done;
  return { peers: options.crowd, newPeerNotifications: newPeers, connectSeconds: +connectSeconds.toFixed(3), joinSeconds: +(Number(process.hrtime.bigint() - start) / 1e9).toFixed(3) };
}

const report = { roomWorkload: await roomWorkload() };
report.crowd = await crowd();
if (options.cluster) {
  const view = await (await fetch(options.cluster)).json();
  report.roomsPerNode = Object.fromEntries(view.members.map((m) => [m.address, m.rooms]));
}
console.log(JSON.stringify(report, null, 2));
for (const peer of openPeers) peer.close();
process.exit(0);
