// Soak: peers that keep joining, producing, consuming and leaving for minutes, with broadcasters and
// hostile clients mixed in, against a running server whose resources are sampled before and after
// (issue 14: "afterwards the server's memory, threads, sockets, RTC ports, actors and rooms return to
// within 10 % of the start").
//
//   node soak.mjs --url wss://127.0.0.1:4643 --http http://127.0.0.1:9088 --pid SERVER_PID
//                 [--duration 600] [--peers 200] [--rooms 20] [--broadcasters 5] [--hostile 5]
//                 [--warmup-peers 0 (= --peers)] [--warmup-seconds 180] [--warmup-settle 25]
//                 [--settle 45] [--settle-max 180] [--sample-every 30]
//                 [--stay-min 5] [--stay-max 20] [--abrupt-share 0.2] [--reuse-share 0.1]
//                 [--rtc-min-port 40000] [--rtc-max-port 49999] [--tolerance 0.1] [--force-gc 1]
//
// Phases: a warm-up (--warmup-peers peers, by default as many as the load, cycling for --warmup-seconds,
// one broadcaster and every hostile case once, so that lazily created things and the memory a load of
// that size makes the GC keep exist: the start sample is the server after three minutes of that load); --warmup-settle seconds of quiet, then the
// start sample; --duration seconds of load with a progress line every --sample-every seconds; every
// client closed, --settle seconds of quiet, then a sample every 5 s until the counts are back and
// nothing falls any more (or --settle-max seconds have passed); the end sample and a JSON report on
// stdout. With --force-gc 1 (the default) every sample taken at rest (start, settle, end) follows a full
// blocking garbage collection of the server, asked for through the .NET diagnostics socket (an
// EventPipe session enabling the runtime's GCHeapCollect keyword, what dotnet-gcdump does): an idle .NET
// process does not collect by itself, so its heap would still hold the load's garbage. Exit code 0: every resource back within --tolerance and no unexpected outcome; 1: something
// was not; 2: the server process died (or stopped answering /metrics).
import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import protooClient from 'protoo-client';

process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the server's self-signed certificate

const options = {
  url: 'wss://127.0.0.1:4443', http: 'http://127.0.0.1:8888', pid: 0, duration: 600, peers: 200, rooms: 20,
  broadcasters: 5, hostile: 5, 'warmup-peers': 0, 'warmup-seconds': 180, settle: 45, 'settle-max': 180, 'warmup-settle': 25, 'sample-every': 30,
  'stay-min': 5, 'stay-max': 20, 'abrupt-share': 0.2, 'reuse-share': 0.1, 'rtc-min-port': 40000, 'rtc-max-port': 49999,
  tolerance: 0.1, 'force-gc': 1,
};
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  if (!(key in options) || i + 1 >= process.argv.length) throw new Error(`unknown option or missing value: ${process.argv[i]}`);
  options[key] = typeof options[key] === 'string' ? process.argv[i + 1] : Number(process.argv[i + 1]);
}
if (!options['warmup-peers']) options['warmup-peers'] = options.peers;
if (!options.pid) throw new Error('--pid SERVER_PID is required (the resources are read from /proc)');
const wssUrl = new URL(options.url);
const httpsRoot = `https://${wssUrl.host}`;
for (const root of [options.url, options.http]) {
  if (new URL(root).hostname !== '127.0.0.1') throw new Error(`${root}: this tool talks to 127.0.0.1 only`);
}

const run = Date.now().toString(36);
const device = { flag: 'chrome', name: 'Chrome', version: '131' };
const sctpCapabilities = { numStreams: { OS: 1024, MIS: 1024 } };
const loadRooms = Array.from({ length: options.rooms }, (_, i) => `soak-${run}-${i}`);
const started = Date.now();
const elapsed = () => Math.round((Date.now() - started) / 1000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = (list) => list[randomInt(list.length)];
const between = (min, max) => min + Math.random() * (max - min);
const log = (line) => console.log(`[${String(elapsed()).padStart(4)}s] ${line}`);
const add = (map, key, n = 1) => { map[key] = (map[key] ?? 0) + n; };
// Error reasons name ids; the report groups them without.
const normalize = (reason) => String(reason).replace(/"[^"]*"/g, '"…"').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '…');

// ---------------------------------------------------------------------------------------------
// Counters

const newStats = () => ({
  cycles: { started: 0, completed: 0, failed: 0, closed: 0, abrupt: 0, replaced: 0 },
  requests: { sent: 0, ok: 0, error: 0, failed: 0 },
  byMethod: {}, // method → { sent, ok, error, failed }
  errors: {}, // "method: errorCode reason" → count (error answers of the load, all unexpected)
  failures: {}, // "method: message" → count (no answer: timeout, peer closed, send failed)
  connectFailures: {}, // reason → count
  serverRequests: {}, // newConsumer, newDataConsumer… → count (all accepted)
  notifications: {}, // method → count
  disconnects: 0, // a load connection closed by the server with a code after which protoo-client reconnects
  replacedNotClosed: 0, // the old connection of a reused peerId still open 5 s after the new one opened
  broadcasters: { cycles: 0, completed: 0, roomGone: 0, rtpPacketsSent: 0, http: {}, unexpected: {} },
  hostile: {}, // case → { runs, passed, unexpected, problems }
});
let stats = newStats();
let phase = 'warm-up';
const openPeers = new Set(); // every protoo peer this tool has open, closed at the end whatever happens

// ---------------------------------------------------------------------------------------------
// Server resources

let clockTicks = 100;
try { clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100; } catch { /* 100 */ }

function serverAlive() {
  try {
    process.kill(options.pid, 0);
    return readFileSync(`/proc/${options.pid}/stat`, 'utf8').split(') ')[1][0] !== 'Z';
  } catch {
    return false;
  }
}

function cpuSeconds() {
  const fields = readFileSync(`/proc/${options.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

const tcpStates = { '01': 'established', '02': 'synSent', '03': 'synRecv', '04': 'finWait1', '05': 'finWait2', '06': 'timeWait', '07': 'close', '08': 'closeWait', '09': 'lastAck', '0A': 'listen', '0B': 'closing' };

/** /proc/net/{udp,tcp}[6]: inode → { localPort, state } for the sockets of this network namespace. */
function netTable(name) {
  const table = new Map();
  for (const file of [`/proc/net/${name}`, `/proc/net/${name}6`]) {
    let lines;
    try { lines = readFileSync(file, 'utf8').split('\n').slice(1); } catch { continue; }
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      table.set(f[9], { localPort: parseInt(f[1].split(':')[1], 16), state: tcpStates[f[3]] ?? f[3] });
    }
  }
  return table;
}

function processSample() {
  const status = readFileSync(`/proc/${options.pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  const inodes = new Set();
  let fds = 0;
  for (const fd of readdirSync(`/proc/${options.pid}/fd`)) {
    let target;
    try { target = readlinkSync(`/proc/${options.pid}/fd/${fd}`); } catch { continue; } // closed meanwhile
    fds++;
    const socket = /^socket:\[(\d+)\]$/.exec(target);
    if (socket) inodes.add(socket[1]);
  }
  const udp = netTable('udp');
  const tcp = netTable('tcp');
  let udpSockets = 0;
  let rtcPorts = 0;
  const tcpByState = {};
  let tcpSockets = 0;
  for (const inode of inodes) {
    const u = udp.get(inode);
    if (u) {
      udpSockets++;
      if (u.localPort >= options['rtc-min-port'] && u.localPort <= options['rtc-max-port']) rtcPorts++;
    }
    const t = tcp.get(inode);
    if (t) {
      tcpSockets++;
      add(tcpByState, t.state);
    }
  }
  return {
    rssKb: field('VmRSS'), rssAnonKb: field('RssAnon'), rssFileKb: field('RssFile'), rssShmemKb: field('RssShmem'), threads: field('Threads'), fds, sockets: inodes.size, udpSockets, rtcPorts, tcpSockets, tcpByState,
    cpuSeconds: +cpuSeconds().toFixed(2),
  };
}

const metricNames = {
  sfu_rooms: 'rooms', sfu_broadcasters: 'broadcasters', sfu_rooms_not_answering: 'roomsNotAnswering',
  sfu_worker_routers: 'routers', sfu_worker_producers: 'producers', sfu_worker_consumers: 'consumers',
  sfu_worker_data_producers: 'dataProducers', sfu_worker_data_consumers: 'dataConsumers',
  dotnet_gc_heap_size_bytes: 'gcHeapBytes', dotnet_gc_memory_in_use_bytes: 'gcMemoryInUseBytes', dotnet_gc_committed_bytes: 'gcCommittedBytes',
  dotnet_threadpool_threads: 'threadPoolThreads', sfu_worker_rtp_packets_received_total: 'rtpPacketsReceivedTotal',
  sfu_worker_handler_errors_total: 'workerHandlerErrorsTotal',
};

async function metricsSample() {
  const { status, text } = await httpRequest('GET', `${options.http}/metrics`);
  if (status !== 200) throw new Error(`GET /metrics: ${status} ${text.slice(0, 200)}`);
  const sample = { peersJoined: 0, peersConnected: 0, transportsWebrtc: 0, transportsPlain: 0 };
  for (const name of Object.values(metricNames)) sample[name] = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const [, name, labels = '', value] = m;
    const number = Number(value);
    if (name in metricNames) sample[metricNames[name]] += number;
    else if (name === 'sfu_peers') sample[labels.includes('"joined"') ? 'peersJoined' : 'peersConnected'] += number;
    else if (name === 'sfu_worker_transports') sample[labels.includes('"plain"') ? 'transportsPlain' : 'transportsWebrtc'] += number;
    else if (name === 'dotnet_gc_collections_total' && labels.includes('"2"')) sample.gcGen2Collections = number;
  }
  return sample;
}

/** A sample of the server at rest: after a forced full garbage collection (with --force-gc 1). */
async function restingSample() {
  if (!options['force-gc']) return sample();
  if (!serverAlive()) throw new ServerDied('the server process is gone');
  const before = processSample();
  const gc = await forceGc();
  await sleep(1000); // the diagnostics connection closed, the GC's decommit under way
  const after = await sample();
  return { ...after, rssKbBeforeGc: before.rssKb, forcedGc: gc };
}

async function sample() {
  if (!serverAlive()) throw new ServerDied('the server process is gone');
  const proc = processSample(); // before the /metrics request, whose connection is not counted then
  let metrics;
  try {
    metrics = await metricsSample();
  } catch (e) {
    if (!serverAlive()) throw new ServerDied('the server process is gone');
    throw new ServerDied(`the server does not answer /metrics: ${e.message}`);
  }
  return { at: elapsed(), ...proc, ...metrics };
}

class ServerDied extends Error {}

// ---------------------------------------------------------------------------------------------
// A full garbage collection of the server, through the .NET diagnostics IPC socket
// ($TMPDIR/dotnet-diagnostic-PID-STARTTIME-socket): an EventPipe session (CollectTracing2, no rundown)
// enabling only the runtime provider's GCHeapCollect keyword (0x800000) makes the runtime run a
// blocking gen 2 collection; the session is stopped again at once.

const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
const u64 = (n) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; };
const ipcString = (text) => Buffer.concat([u32(text.length + 1), Buffer.from(`${text}\0`, 'utf16le')]);

function ipcMessage(commandSet, commandId, payload) {
  const header = Buffer.alloc(20);
  header.write('DOTNET_IPC_V1\0', 0, 'latin1');
  header.writeUInt16LE(header.length + payload.length, 14);
  header[16] = commandSet;
  header[17] = commandId;
  return Buffer.concat([header, payload]);
}

function diagnosticsSocket() {
  const dir = process.env.TMPDIR || '/tmp';
  // The runtime names it after the pid and the process's start time (field 22 of /proc/PID/stat).
  const startTime = readFileSync(`/proc/${options.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
  const names = readdirSync(dir).filter((f) => f.startsWith(`dotnet-diagnostic-${options.pid}-`) && f.endsWith('-socket'));
  const name = names.find((f) => f === `dotnet-diagnostic-${options.pid}-${startTime}-socket`) ?? (names.length === 1 ? names[0] : null);
  return name ? `${dir}/${name}` : null;
}

/** Sends one IPC message; resolves with the answer's header fields, its payload and the open socket. */
function ipcCall(path, message) {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(path);
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('diagnostics IPC: no answer within 10 s')); }, 10_000);
    const onData = (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length < 20 || data.length < data.readUInt16LE(14)) return;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve({ commandSet: data[16], commandId: data[17], payload: data.subarray(20, data.readUInt16LE(14)), socket });
    };
    socket.on('data', onData);
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
    socket.write(message);
  });
}

async function forceGc() {
  const path = diagnosticsSocket();
  if (!path) return { ok: false, reason: 'no diagnostics socket (DOTNET_EnableDiagnostics=0?)' };
  const gen2Before = (await metricsSample()).gcGen2Collections;
  const started = Date.now();
  const providers = Buffer.concat([u32(1), u64(0x800000), u32(4), ipcString('Microsoft-Windows-DotNETRuntime'), u32(0)]);
  // CollectTracing2 (EventPipe 0x02, 0x03): 1 MB buffer, nettrace format, no rundown, the providers.
  const session = await ipcCall(path, ipcMessage(0x02, 0x03, Buffer.concat([u32(1), u32(1), Buffer.from([0]), providers])));
  session.socket.on('data', () => {}); // the (nearly empty) event stream
  session.socket.on('error', () => {});
  try {
    if (session.commandSet !== 0xff || session.commandId !== 0x00) {
      return { ok: false, reason: `CollectTracing2 refused: ${session.commandSet}/${session.commandId} ${session.payload.toString('hex')}` };
    }
    const sessionId = session.payload.readBigUInt64LE(0);
    let gen2 = gen2Before;
    while (gen2 <= gen2Before && Date.now() - started < 10_000) {
      await sleep(200);
      gen2 = (await metricsSample()).gcGen2Collections;
    }
    const stop = await ipcCall(path, ipcMessage(0x02, 0x01, u64(sessionId))); // StopTracing
    stop.socket.destroy();
    return gen2 > gen2Before ? { ok: true, ms: Date.now() - started } : { ok: false, reason: 'no gen 2 collection within 10 s' };
  } finally {
    session.socket.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP (no keep-alive: an idle pooled connection would count as a server socket at the end)

function httpRequest(method, url, body) {
  const u = new URL(url);
  const client = u.protocol === 'https:' ? https : http;
  const headers = { connection: 'close' };
  if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  return new Promise((resolve, reject) => {
    const request = client.request(u, { method, headers, agent: false, rejectUnauthorized: false, timeout: 30_000 }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('HTTP timeout (30 s)')));
    request.on('error', reject);
    request.end(body);
  });
}

/** A raw WebSocket upgrade request to the protoo listener: resolves with the status (101 when upgraded). */
function upgrade(query, { abortAfterSentMs = null } = {}) {
  return new Promise((resolve) => {
    const request = https.request(`${httpsRoot}/?${query}`, {
      agent: false, rejectUnauthorized: false,
      headers: {
        connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'), 'sec-websocket-protocol': 'protoo',
      },
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy(); // gone right after the upgrade: no close frame, no request
      resolve({ status: response.statusCode });
    });
    request.on('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode, reason: response.statusMessage });
    });
    request.on('error', (e) => resolve({ status: null, error: e.message }));
    request.end();
    if (abortAfterSentMs !== null) {
      // Once the request is on the wire (TLS set up), the socket goes before the server answers.
      request.on('finish', () => setTimeout(() => { request.destroy(); resolve({ status: null, aborted: true }); }, abortAfterSentMs));
    }
  });
}

// ---------------------------------------------------------------------------------------------
// protoo peers

function connect(roomId, peerId, { counted = true } = {}) {
  const transport = new protooClient.WebSocketTransport(
    `${options.url}/?roomId=${encodeURIComponent(roomId)}&peerId=${encodeURIComponent(peerId)}`, { retry: { retries: 0 } });
  const peer = new protooClient.Peer(transport);
  peer.peerId = peerId;
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => { fail('no open within 30 s'); peer.close(); }, 30_000);
    function fail(reason) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (counted) add(stats.connectFailures, reason);
      reject(new Error(`connect ${peerId}: ${reason}`));
    }
    peer.once('open', () => {
      if (settled) { peer.close(); return; }
      settled = true;
      clearTimeout(timer);
      openPeers.add(peer);
      peer.once('close', () => openPeers.delete(peer));
      // Any other close code than protoo's 4000 makes protoo-client reconnect by itself: a load peer
      // never expects one, so it is counted and the peer closed (no reconnection behind our back).
      peer.on('disconnected', () => {
        if (counted) stats.disconnects++;
        peer.close();
      });
      peer.on('request', (request, accept) => {
        if (counted) add(stats.serverRequests, request.method);
        accept();
      });
      peer.on('notification', (notification) => { if (counted) add(stats.notifications, notification.method); });
      resolve(peer);
    });
    peer.once('failed', () => fail('WebSocket failed (refused or unreachable)'));
    peer.once('close', () => fail('closed before open'));
  });
}

/** The socket goes away without a WebSocket close frame (and without protoo-client reconnecting). */
function abort(peer) {
  const ws = peer._transport._ws;
  const socket = ws._connection?.socket; // websocket's WebSocketConnection over the TLS socket
  peer._transport._closed = true;
  ws.onopen = ws.onclose = ws.onerror = ws.onmessage = null;
  if (socket) socket.destroy();
  else add(stats.failures, 'abort: no socket to destroy (closed normally instead)');
  peer.close();
}

function waitClosed(peer, ms) {
  if (peer.closed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    peer.once('close', () => { clearTimeout(timer); resolve(true); });
  });
}

class ErrorAnswer extends Error {}

/** A load request: counted by method and outcome; an error answer or no answer throws. */
async function request(peer, method, data) {
  const m = (stats.byMethod[method] ??= { sent: 0, ok: 0, error: 0, failed: 0 });
  stats.requests.sent++;
  m.sent++;
  try {
    const response = await peer.request(method, data);
    stats.requests.ok++;
    m.ok++;
    return response;
  } catch (e) {
    if (typeof e.code === 'number') {
      stats.requests.error++;
      m.error++;
      add(stats.errors, `${method}: ${e.code} ${normalize(e.message)}`);
      throw new ErrorAnswer(`${method}: ${e.code} ${e.message}`);
    }
    stats.requests.failed++;
    m.failed++;
    add(stats.failures, `${method}: ${e.message}`);
    e.counted = true;
    throw e;
  }
}

/** What a hostile case expects: an answer, ok or not, never a timeout. */
async function outcome(peer, method, data) {
  try {
    let timer;
    const limit = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('no answer within 60 s')), 60_000); });
    const response = await Promise.race([peer.request(method, data), limit]).finally(() => clearTimeout(timer));
    return { ok: true, data: response };
  } catch (e) {
    return typeof e.code === 'number' ? { ok: false, code: e.code, reason: e.message } : { ok: false, failed: e.message };
  }
}

let rawRequestId = 1e9; // above protoo-client's random ids (< 1e7)

/**
 * count requests sent at once on the peer's socket with ids of our own (protoo-client draws random
 * ids, which can repeat among hundreds in flight), each answer matched by its id.
 */
function rawRequests(peer, method, count, timeoutMs) {
  const transport = peer._transport;
  const ids = new Set(Array.from({ length: count }, () => rawRequestId++));
  const answers = new Map();
  let duplicates = 0;
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      transport.off('message', onMessage);
      resolve({ answers: [...answers.values()], missing: count - answers.size, duplicates });
    };
    const onMessage = (message) => {
      if (!message.response || !ids.has(message.id)) return;
      if (answers.has(message.id)) duplicates++;
      else answers.set(message.id, message.ok ? { ok: true } : { ok: false, code: message.errorCode, reason: message.errorReason });
      if (answers.size === count) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    transport.on('message', onMessage);
    for (const id of ids) transport._ws.send(JSON.stringify({ request: true, id, method, data: {} }));
  });
}

const randomSsrc = () => randomInt(1, 0xffffffff);
const fingerprint = () => [...randomBytes(32)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
const dtlsParameters = () => ({ role: 'client', fingerprints: [{ algorithm: 'sha-256', value: fingerprint() }] });
const midExtension = { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1, encrypt: false, parameters: {} };

const audioParameters = (cname) => ({
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 }, rtcpFeedback: [] }],
  headerExtensions: [midExtension],
  encodings: [{ ssrc: randomSsrc(), dtx: false }],
  rtcp: { cname, reducedSize: true },
});

const videoParameters = (cname) => ({
  mid: '1',
  codecs: [
    { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000, parameters: {},
      rtcpFeedback: [{ type: 'nack', parameter: '' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] },
    { mimeType: 'video/rtx', payloadType: 102, clockRate: 90000, parameters: { apt: 101 }, rtcpFeedback: [] },
  ],
  headerExtensions: [midExtension],
  encodings: [{ ssrc: randomSsrc(), rtx: { ssrc: randomSsrc() } }],
  rtcp: { cname, reducedSize: true },
});

// ---------------------------------------------------------------------------------------------
// The load: virtual peers

/** One cycle of a virtual peer: connect, set up, produce, consume, stay, leave (or stay open for a reuse). */
async function peerCycle(v, deadline, rooms) {
  const roomId = rooms[v.index % rooms.length];
  const reuse = v.kept !== null; // the previous connection is still open: the same peerId replaces it
  const peerId = reuse ? v.kept.peerId : `p${v.index}-${v.cycle}`;
  v.cycle++;
  stats.cycles.started++;
  let peer = null;
  let leave = 'close';
  try {
    peer = await connect(roomId, peerId);
    if (reuse) {
      // The server closes the old connection with protoo's 4000 once the new one is in.
      if (!(await waitClosed(v.kept, 5000))) stats.replacedNotClosed++;
      v.kept.close();
      v.kept = null;
      stats.cycles.replaced++;
    }
    const cname = randomBytes(4).toString('hex');
    const rtpCapabilities = await request(peer, 'getRouterRtpCapabilities');
    const send = await request(peer, 'createWebRtcTransport', { forceTcp: false, producing: true, consuming: false, sctpCapabilities });
    const recv = await request(peer, 'createWebRtcTransport', { forceTcp: false, producing: false, consuming: true, sctpCapabilities });
    await request(peer, 'join', { displayName: `Soak ${peerId}`, device, rtpCapabilities, sctpCapabilities });
    await request(peer, 'connectWebRtcTransport', { transportId: send.id, dtlsParameters: dtlsParameters() });
    await request(peer, 'connectWebRtcTransport', { transportId: recv.id, dtlsParameters: dtlsParameters() });
    const audio = await request(peer, 'produce', { transportId: send.id, kind: 'audio', rtpParameters: audioParameters(cname), appData: { source: 'mic' } });
    const video = await request(peer, 'produce', { transportId: send.id, kind: 'video', rtpParameters: videoParameters(cname), appData: { source: 'webcam' } });
    await request(peer, 'produceData', {
      transportId: send.id, sctpStreamParameters: { streamId: 0, ordered: true }, label: 'chat', protocol: '', appData: { info: 'my-chat' },
    });
    for (let i = 1; i <= 2; i++) await request(peer, 'changeDisplayName', { displayName: `Soak ${peerId} (${i})` });
    if (Math.random() < 0.5) {
      await request(peer, 'pauseProducer', { producerId: audio.id });
      await request(peer, 'resumeProducer', { producerId: audio.id });
    }
    if (Math.random() < 0.4) await request(peer, 'closeProducer', { producerId: video.id });
    await request(peer, 'getTransportStats', { transportId: send.id });

    const stay = Math.min(between(options['stay-min'], options['stay-max']) * 1000, deadline - Date.now());
    if (stay > 0) await sleep(stay);
    if (peer.closed) throw new Error('closed by the server while staying');

    const r = Math.random();
    if (r < options['abrupt-share']) leave = 'abrupt';
    else if (r < options['abrupt-share'] + options['reuse-share'] && Date.now() < deadline) leave = 'keep';
    stats.cycles.completed++;
  } catch (e) {
    stats.cycles.failed++;
    if (!(e instanceof ErrorAnswer) && !e.counted && !/^connect /.test(e.message)) add(stats.failures, `cycle: ${e.message}`);
  } finally {
    if (peer) {
      if (leave === 'keep') {
        v.kept = peer;
      } else if (leave === 'abrupt') {
        abort(peer);
        stats.cycles.abrupt++;
      } else {
        peer.close();
        stats.cycles.closed++;
      }
    }
  }
}

async function virtualPeer(index, deadline, rooms, delay) {
  const v = { index, cycle: 0, kept: null };
  await sleep(delay);
  while (Date.now() < deadline) await peerCycle(v, deadline, rooms);
  if (v.kept) { v.kept.close(); stats.cycles.closed++; }
}

// ---------------------------------------------------------------------------------------------
// Broadcasters (HTTP API, plain RTP over loopback UDP)

async function broadcasterCall(method, path, body) {
  const response = await httpRequest(method, `${options.http}${path}`, body === undefined ? undefined : JSON.stringify(body));
  const route = `${method} ${path.replace(/^\/rooms\/[^/]+/, '/rooms/:roomId').replace(/broadcasters\/[^/]+/, 'broadcasters/:id').replace(/transports\/[^/]+/, 'transports/:id')}`;
  add(stats.broadcasters.http, `${route} ${response.status}`);
  return response;
}

function rtpPacket(ssrc, sequence, timestamp) {
  const packet = Buffer.alloc(12 + 40, 0xab);
  packet[0] = 0x80;
  packet[1] = 100; // PT 100, no marker
  packet.writeUInt16BE(sequence & 0xffff, 2);
  packet.writeUInt32BE(timestamp >>> 0, 4);
  packet.writeUInt32BE(ssrc, 8);
  return packet;
}

async function sendRtp(port, ssrc, seconds) {
  const socket = dgram.createSocket('udp4');
  let sequence = randomInt(0x10000);
  let timestamp = randomInt(0xffffffff);
  const count = Math.round(seconds * 50);
  for (let i = 0; i < count; i++) {
    socket.send(rtpPacket(ssrc, sequence++, timestamp), port, '127.0.0.1');
    timestamp += 960;
    stats.broadcasters.rtpPacketsSent++;
    await sleep(20);
  }
  await new Promise((resolve) => socket.close(resolve));
}

async function broadcasterCycle(b, rooms) {
  const roomId = pick(rooms);
  const id = `bc${b.index}-${b.cycle++}`;
  const base = `/rooms/${roomId}/broadcasters`;
  stats.broadcasters.cycles++;
  const unexpected = (what) => add(stats.broadcasters.unexpected, normalize(what));
  // 404, or 500 "… does not exist" / "not found": the room closed meanwhile (its last peer left); tolerated.
  const roomGone = (r) => r.status === 404 || (r.status === 500 && /does not exist|not found/.test(r.text));
  const created = await broadcasterCall('POST', base, { id, displayName: `Broadcaster ${id}`, device: { name: 'FFmpeg' } });
  if (created.status !== 200) {
    if (roomGone(created)) stats.broadcasters.roomGone++;
    else unexpected(`create: ${created.status} ${created.text.slice(0, 200)}`);
    return;
  }
  try {
    const transport = await broadcasterCall('POST', `${base}/${id}/transports`, { type: 'plain', comedia: true, rtcpMux: false });
    if (transport.status !== 200) {
      if (roomGone(transport)) stats.broadcasters.roomGone++;
      else unexpected(`transport: ${transport.status} ${transport.text.slice(0, 200)}`);
      return;
    }
    const { id: transportId, port, rtcpPort } = JSON.parse(transport.text);
    for (const p of [port, rtcpPort]) {
      if (!(p >= options['rtc-min-port'] && p <= options['rtc-max-port'])) unexpected(`transport port ${p} outside the RTC port range`);
    }
    const ssrc = randomSsrc();
    const producer = await broadcasterCall('POST', `${base}/${id}/transports/${transportId}/producers`, {
      kind: 'audio',
      rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc }] },
    });
    if (producer.status !== 200) {
      if (roomGone(producer)) stats.broadcasters.roomGone++;
      else unexpected(`producer: ${producer.status} ${producer.text.slice(0, 200)}`);
      return;
    }
    await sendRtp(port, ssrc, between(2, 6));
    stats.broadcasters.completed++;
  } finally {
    const deleted = await broadcasterCall('DELETE', `${base}/${id}`);
    if (deleted.status !== 200 && !roomGone(deleted)) unexpected(`delete: ${deleted.status} ${deleted.text.slice(0, 200)}`);
  }
}

async function virtualBroadcaster(index, deadline, rooms) {
  const b = { index, cycle: 0 };
  await sleep(between(0, 3000));
  while (Date.now() < deadline) {
    try {
      await broadcasterCycle(b, rooms);
    } catch (e) {
      add(stats.broadcasters.unexpected, `exception: ${normalize(e.message)}`);
    }
    await sleep(between(1000, 3000));
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile clients: each case checks that the server answered as it should; a Check collects what it
// did not (problems) and the refusals it got (their reasons, for the report)

const reasonOf = (o) => (o.ok ? 'ok' : o.failed ? `no answer (${o.failed})` : `${o.code} ${o.reason}`);

class Check {
  constructor(record) { this.record = record; this.problems = []; }
  problem(text) { this.problems.push(text); }
  /** An error answer is wanted (with a reason matching pattern, when given). */
  refused(what, answer, pattern) {
    if (answer.ok) this.problem(`${what}: accepted`);
    else if (answer.failed) this.problem(`${what}: ${reasonOf(answer)}`);
    else {
      add(this.record.refusals, `${what}: ${answer.code} ${normalize(answer.reason)}`);
      if (pattern && !pattern.test(answer.reason)) this.problem(`${what}: unexpected reason ${reasonOf(answer)}`);
    }
  }
  status(what, response, want) {
    if (response.status === want) add(this.record.refusals, `${what}: ${response.status} ${normalize(response.text ?? response.reason ?? '').slice(0, 120)}`);
    else this.problem(`${what}: ${response.status ?? response.error} ${(response.text ?? response.reason ?? '').slice(0, 120)} (want ${want})`);
  }
  /** The connection still works: a valid request afterwards is answered ok. */
  async stillAnswers(peer) {
    if (peer.closed) { this.problem('the connection was closed by the server'); return; }
    const answer = await outcome(peer, 'getRouterRtpCapabilities');
    if (!answer.ok) this.problem(`a valid request afterwards: ${reasonOf(answer)}`);
  }
}

async function joined(peer) {
  const rtpCapabilities = (await outcome(peer, 'getRouterRtpCapabilities')).data;
  const answer = await outcome(peer, 'join', { displayName: `Hostile ${peer.peerId}`, device, rtpCapabilities, sctpCapabilities });
  if (!answer.ok) throw new Error(`join: ${reasonOf(answer)}`);
}

/** A protoo connection for one case, closed afterwards whatever happens. */
async function withPeer(roomId, id, body) {
  const peer = await connect(roomId, id, { counted: false });
  try {
    await body(peer);
  } finally {
    peer.close();
  }
}

const hostileCases = {
  notJson: (roomId, id, check) => withPeer(roomId, id, async (peer) => {
    // Nothing to answer (no id to answer to): the frame is dropped, the connection stays.
    peer._transport._ws.send('this is { not JSON');
    peer._transport._ws.send('{"request":true,"id":'); // truncated
    await sleep(200);
    await check.stillAnswers(peer);
  }),
  wrongTypes: (roomId, id, check) => withPeer(roomId, id, async (peer) => {
    check.refused('join with a numeric displayName', await outcome(peer, 'join', { displayName: 42, device }), /displayName/);
    check.refused('createWebRtcTransport with a string numStreams.OS', await outcome(peer, 'createWebRtcTransport',
      { forceTcp: false, producing: true, consuming: false, sctpCapabilities: { numStreams: { OS: 'many', MIS: 1024 } } }));
    check.refused('createWebRtcTransport with an array as sctpCapabilities', await outcome(peer, 'createWebRtcTransport',
      { forceTcp: false, producing: true, consuming: false, sctpCapabilities: [1, 2] }));
    await joined(peer);
    const transport = await outcome(peer, 'createWebRtcTransport', { forceTcp: false, producing: true, consuming: false, sctpCapabilities });
    if (!transport.ok) {
      check.problem(`a valid createWebRtcTransport: ${reasonOf(transport)}`);
      return;
    }
    const transportId = transport.data.id;
    check.refused('produceData with a string streamId', await outcome(peer, 'produceData',
      { transportId, sctpStreamParameters: { streamId: 'zero', ordered: true }, label: 'chat', protocol: '' }));
    check.refused('produce with a string payloadType', await outcome(peer, 'produce', {
      transportId, kind: 'audio',
      rtpParameters: { ...audioParameters('x'), codecs: [{ mimeType: 'audio/opus', payloadType: 'a hundred', clockRate: 48000, channels: 2 }] },
    }));
    check.refused('connectWebRtcTransport with a number as fingerprints', await outcome(peer, 'connectWebRtcTransport',
      { transportId, dtlsParameters: { role: 'client', fingerprints: 5 } }));
    await check.stillAnswers(peer);
  }),
  unknownMethod: (roomId, id, check) => withPeer(roomId, id, async (peer) => {
    check.refused('an unknown method', await outcome(peer, 'noSuchMethod', { x: 1 }), /unknown request\.method/);
    await check.stillAnswers(peer);
  }),
  hugeDisplayName: (roomId, id, check) => withPeer(roomId, id, async (peer) => {
    const huge = 'x'.repeat(10_000);
    check.refused('join with a 10,000-character displayName', await outcome(peer, 'join', { displayName: huge, device }), /displayName/);
    await joined(peer);
    check.refused('changeDisplayName to 10,000 characters', await outcome(peer, 'changeDisplayName', { displayName: huge }), /displayName/);
    const rename = await outcome(peer, 'changeDisplayName', { displayName: 'Hostile, renamed' });
    if (!rename.ok) check.problem(`a valid changeDisplayName afterwards: ${reasonOf(rename)}`);
  }),
  transportLimit: (roomId, id, check) => withPeer(roomId, id, async (peer) => {
    await joined(peer);
    // 20 at once: creations under way count against the limit of 16 per peer.
    const answers = await Promise.all(Array.from({ length: 20 }, () =>
      outcome(peer, 'createWebRtcTransport', { forceTcp: false, producing: false, consuming: true, sctpCapabilities })));
    const ok = answers.filter((a) => a.ok).length;
    const refused = answers.filter((a) => !a.ok && !a.failed && /too many transports/.test(a.reason));
    refused.forEach((a) => check.refused('createWebRtcTransport 17 to 20', a));
    if (ok !== 16 || refused.length !== 4) {
      const others = answers.filter((a) => !a.ok && !refused.includes(a)).map(reasonOf);
      check.problem(`20 createWebRtcTransport at once: ${ok} ok, ${refused.length} refused (want 16 and 4)${others.length ? `; others: ${[...new Set(others)].join('; ')}` : ''}`);
    }
  }),
  requestBurst: (roomId, id, check) => withPeer(roomId, id, async (peer) => {
    // 300 at once against 50 per second, 200 at once: about 200 answered ok, the rest 429, every one answered once.
    const { answers, missing, duplicates } = await rawRequests(peer, 'getRouterRtpCapabilities', 300, 60_000);
    const ok = answers.filter((a) => a.ok).length;
    const limited = answers.filter((a) => !a.ok && a.code === 429);
    const other = answers.filter((a) => !a.ok && a.code !== 429);
    if (limited.length) check.refused('getRouterRtpCapabilities past the burst', limited[0]);
    if (missing > 0) check.problem(`${missing} of 300 requests sent at once never answered (60 s)`);
    if (duplicates > 0) check.problem(`${duplicates} of 300 requests answered twice`);
    if (other.length > 0) check.problem(`${other.length} of 300 neither ok nor 429: ${[...new Set(other.map(reasonOf))].join('; ')}`);
    if (limited.length === 0 || ok < 190 || ok > 260) check.problem(`300 at once: ${ok} ok, ${limited.length} answered 429 (want about 200 and 100)`);
    await sleep(1000); // the bucket refills at 50 per second
    await check.stillAnswers(peer);
  }),
  async badHttpBody(roomId, id, check) {
    // The body is checked before the room: 400 whether the room is open or not.
    const bodies = { 'truncated JSON': '{"id":"x","displayName":', 'a numeric id': JSON.stringify({ id: 42, displayName: 'x', device: { name: 'FFmpeg' } }), 'an array': '[1,2,3]' };
    for (const [what, body] of Object.entries(bodies)) {
      for (const root of [options.http, httpsRoot]) {
        check.status(`POST broadcasters with ${what} (${new URL(root).protocol.slice(0, -1)})`, await httpRequest('POST', `${root}/rooms/${roomId}/broadcasters`, body), 400);
      }
    }
  },
  async history(roomId, id, check) {
    const response = await httpRequest('GET', `${options.http}/rooms/${roomId}/history?limit=10`);
    if (response.status !== 200) {
      check.problem(`GET history?limit=10: ${response.status} ${response.text.slice(0, 120)}`);
      return;
    }
    const page = JSON.parse(response.text);
    if (!Array.isArray(page.events) || page.events.length === 0 || page.events.length > 10) check.problem(`GET history?limit=10: ${page.events?.length} events`);
  },
  async longRoomId(roomId, id, check) {
    check.status('upgrade with a 200-character roomId', await upgrade(`roomId=${'r'.repeat(200)}&peerId=${id}`), 400);
  },
  async closeAfterUpgrade(roomId, id, check) {
    const answer = await upgrade(`roomId=${roomId}&peerId=${id}`);
    if (answer.status !== 101) check.problem(`upgrade into a real room: ${answer.status ?? answer.error} ${answer.reason ?? ''}`);
  },
  async abortDuringUpgrade(roomId, id) {
    // The socket goes while the server attaches the session (before the 101): nothing to check here,
    // the end sample says whether a session stayed behind.
    await upgrade(`roomId=${roomId}&peerId=${id}`, { abortAfterSentMs: randomInt(0, 30) });
  },
};

async function runHostileCase(name, roomId, id) {
  const record = (stats.hostile[name] ??= { runs: 0, passed: 0, unexpected: 0, problems: {}, refusals: {} });
  record.runs++;
  const check = new Check(record);
  try {
    await hostileCases[name](roomId, id, check);
  } catch (e) {
    check.problem(`exception: ${e.message}`);
  }
  if (check.problems.length === 0) record.passed++;
  else {
    record.unexpected++;
    for (const problem of check.problems) add(record.problems, normalize(problem));
  }
}

async function virtualAttacker(index, deadline, rooms) {
  const names = Object.keys(hostileCases);
  let n = index;
  await sleep(between(1000, 5000));
  while (Date.now() < deadline) {
    const name = names[n % names.length];
    await runHostileCase(name, pick(rooms), `h${index}-${n++}-${name}`);
    await sleep(between(500, 2000));
  }
}

// ---------------------------------------------------------------------------------------------
// Phases

async function warmUp() {
  // As many peers per room as in the load, in 2 rooms at least.
  const roomCount = Math.max(2, Math.round((options.rooms * options['warmup-peers']) / options.peers));
  const rooms = Array.from({ length: roomCount }, (_, i) => `soak-${run}-warmup-${i}`);
  const deadline = Date.now() + options['warmup-seconds'] * 1000;
  const saved = { ...options };
  // Short stays, and every way of leaving (close, abrupt, a reused peerId) more often than in the load.
  Object.assign(options, { 'stay-min': 1, 'stay-max': 3, 'abrupt-share': 0.3, 'reuse-share': 0.3 });
  const peers = Array.from({ length: options['warmup-peers'] }, (_, i) => virtualPeer(i, deadline, rooms, i * 200));
  await sleep(1500); // the rooms exist
  const others = [
    broadcasterCycle({ index: 999, cycle: 0 }, rooms).catch((e) => add(stats.broadcasters.unexpected, `warm-up: ${e.message}`)),
    (async () => { for (const name of Object.keys(hostileCases)) await runHostileCase(name, pick(rooms), `hw-${name}`); })(),
  ];
  await Promise.all([...peers, ...others]);
  Object.assign(options, saved);
}

function progress(s, loadStart) {
  const cycles = stats.cycles;
  log(`rss ${(s.rssKb / 1024).toFixed(0)} MB, threads ${s.threads}, sockets ${s.sockets} (tcp ${s.tcpSockets}, udp ${s.udpSockets}, rtc ports ${s.rtcPorts}), fds ${s.fds}, `
    + `peers ${s.peersJoined + s.peersConnected} (joined ${s.peersJoined}), rooms ${s.rooms}, broadcasters ${s.broadcasters}, transports ${s.transportsWebrtc}+${s.transportsPlain} plain, `
    + `producers ${s.producers}, consumers ${s.consumers}, data consumers ${s.dataConsumers}, gc heap ${(s.gcHeapBytes / 1048576).toFixed(0)} MB | `
    + `cycles ${cycles.completed}/${cycles.started}, requests ${stats.requests.sent} (errors ${stats.requests.error}, no answer ${stats.requests.failed}), `
    + `server cpu ${(s.cpuSeconds - loadStart.cpuSeconds).toFixed(1)} s`);
}

const settleKeys = ['rooms', 'peersJoined', 'peersConnected', 'broadcasters', 'routers', 'transportsWebrtc', 'transportsPlain',
  'producers', 'consumers', 'dataProducers', 'dataConsumers', 'rtcPorts'];
const fallingKeys = ['rssKb', 'threads', 'sockets', 'fds'];

function restingLine(s) {
  const gc = s.forcedGc ? ` (${(s.rssKbBeforeGc / 1024).toFixed(0)} MB before a forced GC${s.forcedGc.ok ? '' : `, which failed: ${s.forcedGc.reason}`})` : '';
  return `rss ${(s.rssKb / 1024).toFixed(0)} MB${gc}, gc heap ${(s.gcHeapBytes / 1048576).toFixed(1)} MB, threads ${s.threads}, sockets ${s.sockets}, fds ${s.fds}, `
    + `rtc ports ${s.rtcPorts}, peers ${s.peersJoined + s.peersConnected}, rooms ${s.rooms}, broadcasters ${s.broadcasters}, routers ${s.routers}, `
    + `transports ${s.transportsWebrtc + s.transportsPlain}, producers ${s.producers + s.dataProducers}, consumers ${s.consumers + s.dataConsumers}`;
}

/**
 * Waits at least minSeconds, then samples (at rest) every 5 s until the counts are back to `baseline`
 * (0 without one) and nothing fell since the previous sample, or maxSeconds have passed.
 */
async function settle(minSeconds, maxSeconds, baseline) {
  const start = Date.now();
  await sleep(minSeconds * 1000);
  const trail = [];
  let previous = null;
  for (;;) {
    const current = await restingSample();
    trail.push(current);
    log(`settling: ${restingLine(current)}`);
    const countsBack = settleKeys.every((k) => current[k] <= (baseline?.[k] ?? 0));
    const falling = previous !== null
      && (fallingKeys.some((k) => current[k] < previous[k] * 0.99) || settleKeys.some((k) => current[k] < previous[k]));
    previous = current;
    if ((countsBack && trail.length > 1 && !falling) || (Date.now() - start) / 1000 + 5 > maxSeconds) break;
    await sleep(5000);
  }
  return { sample: previous, seconds: Math.round((Date.now() - start) / 1000), trail };
}

function compare(start, end) {
  const relative = { memoryRss: 'rssKb', threads: 'threads', fileDescriptors: 'fds', sockets: 'sockets', tcpSockets: 'tcpSockets', udpSockets: 'udpSockets' };
  const counts = {
    rtcPorts: 'rtcPorts', rooms: 'rooms', peersJoined: 'peersJoined', peersConnected: 'peersConnected', broadcasters: 'broadcasters',
    routers: 'routers', webrtcTransports: 'transportsWebrtc', plainTransports: 'transportsPlain', producers: 'producers',
    consumers: 'consumers', dataProducers: 'dataProducers', dataConsumers: 'dataConsumers',
  };
  const informational = {
    memoryRssAnonymous: 'rssAnonKb', memoryRssFileBacked: 'rssFileKb', memoryRssShared: 'rssShmemKb', gcHeap: 'gcHeapBytes', gcCommitted: 'gcCommittedBytes', gcMemoryInUse: 'gcMemoryInUseBytes', threadPoolThreads: 'threadPoolThreads',
  };
  const resources = {};
  const entry = (key, kind) => {
    const delta = end[key] - start[key];
    return { start: start[key], end: end[key], delta, change: start[key] ? +(delta / start[key]).toFixed(4) : null, kind };
  };
  for (const [name, key] of Object.entries(relative)) {
    const e = entry(key, 'within tolerance of the start');
    e.withinTenPercent = end[key] <= start[key] * (1 + options.tolerance);
    resources[name] = e;
  }
  for (const [name, key] of Object.entries(counts)) {
    const e = entry(key, start[key] === 0 ? 'back to 0' : 'within tolerance of the start');
    e.withinTenPercent = start[key] === 0 ? end[key] === 0 : end[key] <= start[key] * (1 + options.tolerance);
    resources[name] = e;
  }
  for (const [name, key] of Object.entries(informational)) resources[name] = { ...entry(key, 'informational (no verdict)') };
  return resources;
}

async function main() {
  if (!serverAlive()) throw new ServerDied(`no server process ${options.pid}`);
  log(`soak against ${options.url} (pid ${options.pid}): ${options.peers} peers in ${options.rooms} rooms, ${options.broadcasters} broadcasters, `
    + `${options.hostile} hostile clients, ${options.duration} s; warm-up first`);
  const initial = await restingSample();
  await warmUp();
  phase = 'warm-up settle';
  const warm = await settle(options['warmup-settle'], Math.max(options['warmup-settle'] + 30, options['warmup-settle'] * 2));
  const start = warm.sample;
  // The warm-up's figures are kept apart from the load's.
  const warmUpStats = stats;
  stats = newStats();
  log(`start sample after ${warm.seconds} s of quiet: ${restingLine(start)}`);

  phase = 'load';
  const loadStart = start;
  const loadBegan = Date.now();
  const deadline = loadBegan + options.duration * 1000;
  const spread = Math.min(10_000, options.duration * 250); // staggered starts
  const periodic = [];
  const ticker = setInterval(async () => {
    try {
      const s = await sample();
      periodic.push(s);
      progress(s, loadStart);
    } catch (e) {
      log(`sample failed: ${e.message}`);
    }
  }, options['sample-every'] * 1000);
  const workers = [
    ...Array.from({ length: options.peers }, (_, i) => virtualPeer(i, deadline, loadRooms, (i / options.peers) * spread)),
    ...Array.from({ length: options.broadcasters }, (_, i) => virtualBroadcaster(i, deadline, loadRooms)),
    ...Array.from({ length: options.hostile }, (_, i) => virtualAttacker(i, deadline, loadRooms)),
  ];
  let serverGone = null;
  const watchdog = setInterval(() => { if (!serverAlive()) serverGone ??= 'the server process died during the load'; }, 1000);
  await Promise.race([Promise.all(workers), sleep(options.duration * 1000 + 90_000)]);
  clearInterval(ticker);
  clearInterval(watchdog);
  const loadSeconds = (Date.now() - loadBegan) / 1000;
  const stragglers = openPeers.size;
  for (const peer of [...openPeers]) peer.close();
  if (serverGone || !serverAlive()) throw new ServerDied(serverGone ?? 'the server process died during the load');
  const loadEnd = await sample();
  periodic.push(loadEnd);
  progress(loadEnd, loadStart);
  log(`load over after ${loadSeconds.toFixed(0)} s (${stragglers} connections still open were closed); settling (at least ${options.settle} s, at most ${options['settle-max']} s)`);

  phase = 'settle';
  const settled = await settle(options.settle, options['settle-max'], start);
  const end = settled.sample;
  const resources = compare(start, end);
  const failedResources = Object.entries(resources).filter(([, r]) => r.withinTenPercent === false).map(([name]) => name);
  const hostileUnexpected = Object.values(stats.hostile).reduce((n, h) => n + h.unexpected, 0);
  const broadcasterUnexpected = Object.values(stats.broadcasters.unexpected).reduce((n, c) => n + c, 0);
  const connectFailures = Object.values(stats.connectFailures).reduce((n, c) => n + c, 0);
  // Failures outside a request: a connection the server closed while the peer stayed, an abort without a socket.
  const otherFailures = Object.entries(stats.failures).filter(([k]) => /^(cycle|abort):/.test(k)).reduce((n, [, c]) => n + c, 0);
  const requestCount = stats.requests.sent + Object.values(stats.serverRequests).reduce((n, c) => n + c, 0);
  const loadCpu = loadEnd.cpuSeconds - start.cpuSeconds;
  const report = {
    options,
    seconds: { warmUpSettle: warm.seconds, load: +loadSeconds.toFixed(1), settle: settled.seconds },
    samples: { initial, start, loadEnd, end, settleTrail: settled.trail.map((s) => ({ at: s.at, rssKb: s.rssKb, rssKbBeforeGc: s.rssKbBeforeGc, gcHeapBytes: s.gcHeapBytes, threads: s.threads, sockets: s.sockets, fds: s.fds, peers: s.peersJoined + s.peersConnected, rooms: s.rooms, transports: s.transportsWebrtc + s.transportsPlain, consumers: s.consumers })) },
    resources,
    withinTenPercent: failedResources.length === 0,
    notWithin: failedResources,
    actors: 'not counted by the server (no metric); rooms, peers, routers, transports, producers and consumers stand for the actors that own them',
    peers: { cycles: stats.cycles, connectFailures: stats.connectFailures, disconnectedByServer: stats.disconnects, replacedConnectionNotClosedWithin5s: stats.replacedNotClosed },
    requests: { ...stats.requests, perSecond: +(stats.requests.sent / loadSeconds).toFixed(1), errorsByReason: stats.errors, noAnswer: stats.failures, byMethod: stats.byMethod },
    serverRequests: stats.serverRequests,
    notifications: stats.notifications,
    broadcasters: { ...stats.broadcasters, rtpPacketsReceivedByServer: end.rtpPacketsReceivedTotal - start.rtpPacketsReceivedTotal },
    hostile: stats.hostile,
    unexpected: {
      hostile: hostileUnexpected, broadcasters: broadcasterUnexpected, loadConnectFailures: connectFailures, loadErrorAnswers: stats.requests.error,
      loadNoAnswer: stats.requests.failed, loadOtherFailures: otherFailures, disconnects: stats.disconnects, replacedNotClosed: stats.replacedNotClosed,
      workerHandlerErrors: end.workerHandlerErrorsTotal - start.workerHandlerErrorsTotal,
    },
    serverCpuSeconds: { load: +loadCpu.toFixed(2), settle: +(end.cpuSeconds - loadEnd.cpuSeconds).toFixed(2), total: +(end.cpuSeconds - initial.cpuSeconds).toFixed(2), msPerProtooRequest: +((loadCpu * 1000) / Math.max(requestCount, 1)).toFixed(2) },
    warmUp: {
      cycles: warmUpStats.cycles, requests: warmUpStats.requests, errors: warmUpStats.errors, failures: warmUpStats.failures,
      hostileCases: Object.values(warmUpStats.hostile).reduce((n, h) => n + h.runs, 0),
      hostileUnexpected: Object.fromEntries(Object.entries(warmUpStats.hostile).filter(([, h]) => h.unexpected).map(([name, h]) => [name, h.problems])),
      broadcasters: { cycles: warmUpStats.broadcasters.cycles, unexpected: warmUpStats.broadcasters.unexpected },
    },
    periodic: periodic.map((s) => ({ at: s.at, rssKb: s.rssKb, threads: s.threads, sockets: s.sockets, peers: s.peersJoined + s.peersConnected, rooms: s.rooms, consumers: s.consumers, cpuSeconds: s.cpuSeconds })),
  };
  // Memory growth while the load runs at its steady size (the second half): a leak keeps climbing,
  // a heap that grew to its working size once does not. Least squares over the periodic samples.
  const steady = periodic.filter((s) => s.at >= start.at + options.duration / 2 && s.at <= start.at + options.duration);
  if (steady.length >= 3) {
    const mean = (f) => steady.reduce((n, s) => n + f(s), 0) / steady.length;
    const t = mean((s) => s.at);
    const r = mean((s) => s.rssKb);
    const slope = steady.reduce((n, s) => n + (s.at - t) * (s.rssKb - r), 0) / steady.reduce((n, s) => n + (s.at - t) ** 2, 0);
    report.rssGrowthSecondHalfOfLoad = { samples: steady.length, kbPerMinute: Math.round(slope * 60) };
  } else {
    report.rssGrowthSecondHalfOfLoad = { samples: steady.length, kbPerMinute: null, note: 'fewer than 3 periodic samples in the second half of the load' };
  }
  const during = [loadStart, ...periodic];
  report.peakDuringLoad = Object.fromEntries(['rssKb', 'threads', 'sockets', 'fds', 'rtcPorts', 'peersJoined', 'rooms', 'broadcasters', 'transportsWebrtc', 'transportsPlain', 'producers', 'consumers', 'dataConsumers', 'gcHeapBytes']
    .map((k) => [k, Math.max(...during.map((x) => x[k]))]));
  const unexpectedTotal = Object.values(report.unexpected).reduce((n, c) => n + c, 0);
  report.pass = report.withinTenPercent && unexpectedTotal === 0;
  console.log(JSON.stringify(report, null, 2));
  for (const [name, r] of Object.entries(resources)) {
    const verdict = r.withinTenPercent === undefined ? '(no verdict)' : r.withinTenPercent ? 'ok' : 'NOT WITHIN';
    const change = r.change === null ? '' : ` (${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)} %)`;
    log(`${name.padEnd(20)} ${String(r.start).padStart(10)} -> ${String(r.end).padEnd(10)} ${r.delta >= 0 ? '+' : ''}${r.delta}${change} ${verdict}`);
  }
  log(`${report.pass ? 'PASS' : 'FAIL'}: resources ${report.withinTenPercent ? 'back within' : `not back within (${failedResources.join(', ')})`} ${options.tolerance * 100} %, `
    + `${unexpectedTotal} unexpected outcomes; ${stats.cycles.completed} peer cycles, ${stats.requests.sent} requests, server CPU ${loadCpu.toFixed(1)} s over the load`);
  return report.pass ? 0 : 1;
}

let code;
try {
  code = await main();
} catch (e) {
  if (e instanceof ServerDied) {
    log(`SERVER DIED: ${e.message}`);
    console.log(JSON.stringify({ serverDied: true, reason: e.message, phase, cycles: stats.cycles, requests: stats.requests, errors: stats.errors, failures: stats.failures }, null, 2));
    code = 2;
  } else {
    log(`soak failed: ${e.stack}`);
    code = 1;
  }
}
for (const peer of [...openPeers]) peer.close();
process.exit(code);
