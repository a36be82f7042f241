// A mediasoup-demo peer that is not a browser: mediasoup-client's Chrome111 handler over werift's
// RTCPeerConnection, in node. It joins a room over protoo, consumes everyone's audio and video
// and DataChannels, publishes a VP8 camera and an Opus microphone that Debian's ffmpeg encodes
// (a test pattern and a tone over plain RTP on loopback), and a 'chat' DataChannel.
//
// Usage: node peer.mjs <wss://host:port> <roomId> <peerId>
// Reports on stdout, one JSON object per line: {"event":"joined"}, {"event":"producing",...},
// {"event":"consumer",...}, {"event":"rtp",...} (received and decrypted, per consumer, at 1, 50,
// 100, ...), {"event":"chat",...}, {"event":"error",...}. Commands on stdin, one JSON object per
// line: {"chat":"text"} sends text on the chat DataChannel. Exits when stdin closes.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import readline from 'node:readline';
import * as werift from 'werift';
import { Device } from 'mediasoup-client';
import protooClient from 'protoo-client';

const [url, roomId, peerId] = process.argv.slice(2);
if (!url || !roomId || !peerId) {
  console.error('usage: node peer.mjs <wss://host:port> <roomId> <peerId>');
  process.exit(2);
}
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the test server's self-signed certificate
let stopping = false;

const report = (event, fields = {}) => process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
const fail = (error) => {
  report('error', { message: String(error?.stack ?? error) });
  process.exit(1);
};
process.on('unhandledRejection', fail);
process.on('uncaughtException', fail);

// werift as the RTCPeerConnection mediasoup-client creates: loopback only, no STUN server (werift's
// default would ask a public one), the codecs and header extensions a Chrome peer would offer.
class LoopbackPeerConnection extends werift.RTCPeerConnection {
  constructor(configuration = {}) {
    super({
      ...configuration,
      iceServers: [],
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceFilterCandidatePair: (pair) => pair.localCandidate.host === '127.0.0.1' && pair.remoteCandidate.host === '127.0.0.1',
      codecs: {
        audio: [new werift.RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
        video: [new werift.RTCRtpCodecParameters({
          mimeType: 'video/VP8',
          clockRate: 90000,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
        })],
      },
      headerExtensions: {
        audio: [werift.useSdesMid()],
        video: [werift.useSdesMid(), werift.useAbsSendTime(), werift.useTransportWideCC()],
      },
    });
  }
}
globalThis.RTCPeerConnection = LoopbackPeerConnection;
globalThis.MediaStream = werift.MediaStream;

const peer = new protooClient.Peer(new protooClient.WebSocketTransport(`${url}/?roomId=${encodeURIComponent(roomId)}&peerId=${encodeURIComponent(peerId)}`));
await new Promise((resolve, reject) => {
  peer.once('open', resolve);
  peer.once('failed', () => reject(new Error('protoo connection failed')));
});
peer.on('close', () => { if (!stopping) fail('protoo connection closed'); });

const device = new Device({ handlerName: 'Chrome111' });
await device.load({ routerRtpCapabilities: await peer.request('getRouterRtpCapabilities') });
const sctpCapabilities = { numStreams: { OS: 1024, MIS: 1024 } };

async function createTransport(direction) {
  const info = await peer.request('createWebRtcTransport', {
    forceTcp: false, producing: direction === 'send', consuming: direction === 'recv', sctpCapabilities,
  });
  const transport = direction === 'send' ? device.createSendTransport(info) : device.createRecvTransport(info);
  transport.on('connect', ({ dtlsParameters }, callback, errback) =>
    peer.request('connectWebRtcTransport', { transportId: transport.id, dtlsParameters }).then(callback, errback));
  transport.on('connectionstatechange', (state) => report('transport', { direction, state }));
  if (direction === 'send') {
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) =>
      peer.request('produce', { transportId: transport.id, kind, rtpParameters, appData }).then(callback, errback));
    transport.on('producedata', ({ sctpStreamParameters, label, protocol, appData }, callback, errback) =>
      peer.request('produceData', { transportId: transport.id, sctpStreamParameters, label, protocol, appData }).then(callback, errback));
  }
  return transport;
}

const recvTransport = await createTransport('recv');
const sendTransport = await createTransport('send');

peer.on('request', async (request, accept, reject) => {
  try {
    if (request.method === 'newConsumer') {
      const { peerId: from, producerId, id, kind, rtpParameters, appData } = request.data;
      const consumer = await recvTransport.consume({ id, producerId, kind, rtpParameters, streamId: `${from}-mic-webcam`, appData: { ...appData, peerId: from } });
      const ssrc = rtpParameters.encodings[0].ssrc;
      report('consumer', { peerId: from, kind, id, ssrc, cname: rtpParameters.rtcp?.cname ?? null, msid: rtpParameters.msid ?? null });
      let packets = 0;
      consumer.track.onReceiveRtp.subscribe((rtp) => {
        packets += 1;
        if (packets === 1 || packets % 50 === 0) {
          report('rtp', { peerId: from, kind, ssrc: rtp.header.ssrc, payloadType: rtp.header.payloadType, packets, payloadBytes: rtp.payload.length });
        }
      });
      accept();
    } else if (request.method === 'newDataConsumer') {
      const { peerId: from, dataProducerId, id, sctpStreamParameters, label, protocol, appData } = request.data;
      const dataConsumer = await recvTransport.consumeData({ id, dataProducerId, sctpStreamParameters, label, protocol, appData });
      dataConsumer.on('message', (message) => report('chat', { peerId: from ?? null, label, text: typeof message === 'string' ? message : null }));
      accept();
    } else {
      reject(403, `${request.method} is not for this peer`);
    }
  } catch (error) {
    report('error', { message: `${request.method}: ${error}` });
    reject(500, String(error));
  }
});

const joined = await peer.request('join', {
  displayName: peerId,
  device: { flag: 'werift', name: 'werift', version: '0.25.2' },
  rtpCapabilities: device.rtpCapabilities,
  sctpCapabilities,
});
report('joined', { peers: joined.peers.map((p) => p.id) });

// Media: ffmpeg encodes; its RTP reaches werift's tracks, which set the negotiated SSRC and payload type.
const tracks = { video: new werift.MediaStreamTrack({ kind: 'video' }), audio: new werift.MediaStreamTrack({ kind: 'audio' }) };
const ports = {};
const sockets = [];
for (const kind of ['video', 'audio']) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (packet) => tracks[kind].writeRtp(packet));
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  ports[kind] = socket.address().port;
  sockets.push(socket);
}
const ffmpeg = spawn('ffmpeg', [
  '-hide_banner', '-loglevel', 'error', '-re',
  '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15',
  '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
  '-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-g', '15', '-keyint_min', '15',
  '-payload_type', '101', '-ssrc', '22222222', '-f', 'rtp', `rtp://127.0.0.1:${ports.video}?pkt_size=1200`,
  '-map', '1:a', '-c:a', 'libopus', '-ac', '2', '-b:a', '48k', '-application', 'lowdelay',
  '-payload_type', '100', '-ssrc', '11111111', '-f', 'rtp', `rtp://127.0.0.1:${ports.audio}?pkt_size=1200`,
], { stdio: ['ignore', 'ignore', 'pipe'] });
ffmpeg.stderr.on('data', (data) => report('ffmpeg', { text: String(data).trim() }));
ffmpeg.on('exit', (code) => { if (!stopping) fail(`ffmpeg exited with ${code}`); });

for (const kind of ['audio', 'video']) {
  const producer = await sendTransport.produce({ track: tracks[kind], appData: { source: kind === 'audio' ? 'mic' : 'webcam' } });
  report('producing', { kind, id: producer.id, ssrc: producer.rtpParameters.encodings[0].ssrc });
}
const chat = await sendTransport.produceData({ ordered: false, maxRetransmits: 1, label: 'chat', priority: 'medium', appData: { info: 'my-chat-DataProducer' } });
if (chat.readyState !== 'open') {
  // While it does not open, say every 10 s what both ends know of the SCTP association.
  const diagnose = setInterval(async () => {
    const [server] = await peer.request('getTransportStats', { transportId: sendTransport.id });
    // werift's own view (internals of mediasoup-client's handler and werift, read defensively): whether its
    // SCTP association started on the transport's DTLS, and over which DTLS transport.
    const sctpTransport = sendTransport._handler?._pc?.sctpTransport;
    report('diagnostic', {
      waitingFor: 'chat DataChannel open', readyState: chat.readyState, serverSctpState: server.sctpState, serverDtlsState: server.dtlsState,
      weriftSctpAssociationState: sctpTransport?.sctp?.associationState ?? null, weriftSctpState: sctpTransport?.sctp?.state ?? null,
      weriftSctpDtlsState: sctpTransport?.dtlsTransport?.state ?? null, weriftSctpBundled: sctpTransport?.bundled ?? null,
    });
  }, 10_000);
  await new Promise((resolve) => chat.once('open', resolve));
  clearInterval(diagnose);
}
report('producing', { kind: 'data', label: 'chat', id: chat.id });

const commands = readline.createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const command = JSON.parse(line);
  if (typeof command.chat === 'string') chat.send(command.chat);
});
commands.on('close', () => {
  stopping = true;
  ffmpeg.kill('SIGTERM');
  for (const socket of sockets) socket.close();
  peer.close();
  process.exit(0);
});
