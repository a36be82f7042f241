// A fresh server's first answers: waits for the port to accept TCP, then one peer after another
// (each in a room of its own) opens its protoo WebSocket, asks getRouterRtpCapabilities and joins.
// Prints, per peer, milliseconds: WebSocket open, first request, join, and first answer since the
// port opened (issue 18's "first WebSocket answered" target).
//   node first-websocket.mjs <port> [peers=3]
import net from 'node:net';
import protooClient from '../SignalingLoad/node_modules/protoo-client/lib/index.js';

process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the server's self-signed certificate
const port = Number(process.argv[2]);
const peers = Number(process.argv[3] ?? 3);
const accepts = () => new Promise(resolve => {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('connect', () => { socket.destroy(); resolve(true); });
  socket.on('error', () => resolve(false));
});
while (!(await accepts())) await new Promise(resolve => setTimeout(resolve, 5));
const portOpen = performance.now();

for (let i = 0; i < peers; i++) {
  const started = performance.now();
  const peer = new protooClient.Peer(new protooClient.WebSocketTransport(
    `wss://127.0.0.1:${port}/?roomId=first-${i}&peerId=p${i}`, { retry: { retries: 0 } }));
  await new Promise((resolve, reject) => { peer.on('open', resolve); peer.on('failed', reject); });
  const open = performance.now();
  await peer.request('getRouterRtpCapabilities');
  const answered = performance.now();
  await peer.request('join', { displayName: `p${i}`, device: { name: 'node' }, rtpCapabilities: {} });
  const joined = performance.now();
  peer.close();
  console.log(JSON.stringify({
    peer: i,
    webSocketOpen: +(open - started).toFixed(1),
    firstRequest: +(answered - open).toFixed(1),
    join: +(joined - answered).toFixed(1),
    answeredSincePortOpen: +(answered - portOpen).toFixed(1),
  }));
}
process.exit(0);
