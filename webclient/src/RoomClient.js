// A room session as mediasoup-demo's RoomClient runs it: protoo signaling, a mediasoup-client
// Device, a send and a receive transport, and the peers of the room.
import * as protooClient from 'protoo-client';
import * as mediasoupClient from 'mediasoup-client';
import { protooUrl } from './urlOptions.js';

const RESOLUTIONS = {
  qvga: { width: 320, height: 240 },
  vga: { width: 640, height: 480 },
  hd: { width: 1280, height: 720 },
};

// mediasoup-demo's webcam simulcast: three encodings, the lowest first.
const SIMULCAST_ENCODINGS = [
  { scaleResolutionDownBy: 4, maxBitrate: 500000 },
  { scaleResolutionDownBy: 2, maxBitrate: 1000000 },
  { scaleResolutionDownBy: 1, maxBitrate: 5000000 },
];

// protoo-client's default (1 s doubling to 8 s) can leave a peer waiting 8 s after the server is
// back from a crash or restart; retry every half second at most, for about a minute (the server's rejoin
// grace period is 30 s by default). A try at a closed port costs little; each one saved on average
// is a quarter second off the recovery (bench/README.md, "kill -9 to media again").
const RECONNECT_RETRY = { retries: 120, factor: 1.2, minTimeout: 250, maxTimeout: 500 };

// With several servers (a cluster's nodes, servers=…): after this many failed tries in a row on one,
// the client moves on to the next (about a second: the node is gone, not restarting).
const FAILOVER_AFTER_ATTEMPTS = 3;

export class RoomClient extends EventTarget {
  constructor(options) {
    super();
    this.options = options;
    this.state = {
      roomState: 'new',
      mediasoupVersion: null,
      peers: new Map(),
      transports: {},
      consumers: new Map(),
      producers: new Map(),
      dataConsumers: new Map(),
      notices: [],
      messages: [],
      dataProducers: new Map(),
      // The server's activeSpeaker notifications: the latest, and the recent ones for tests.
      activeSpeaker: { peerId: null, volume: null },
      activeSpeakerLog: [],
    };
    this.device = null;
    this.sendTransport = null;
    this.recvTransport = null;
    this.localVideoTrack = null;
    this.localShareTrack = null;
    this.joinCount = 0;
  }

  join() {
    this.connect(0);
  }

  /** Signaling with server number serverIndex of options.servers (this page's server is number 0). */
  connect(serverIndex) {
    const servers = this.options.servers ?? [window.location.host];
    this.serverIndex = serverIndex;
    const transport = new protooClient.WebSocketTransport(
      protooUrl(this.options, window.location, servers[serverIndex]), { retry: RECONNECT_RETRY });
    this.protoo = new protooClient.Peer(transport);
    this.setRoomState('connecting');
    this.protoo.on('open', () => this.joinRoom().catch((error) => this.notice(`join failed: ${error.message ?? error}`)));
    this.protoo.on('failed', (attempt) => {
      this.notice(`WebSocket connection to ${servers[serverIndex]} failed`);
      if (servers.length > 1 && attempt >= FAILOVER_AFTER_ATTEMPTS) this.failOver(servers);
    });
    this.protoo.on('disconnected', () => {
      this.closeTransports();
      this.state.peers.clear();
      this.setRoomState('disconnected');
    });
    this.protoo.on('close', () => {
      clearInterval(this.statsTimer);
      this.setRoomState('closed');
    });
    this.protoo.on('request', (request, accept, reject) => this.onServerRequest(request, accept, reject));
    this.protoo.on('notification', (notification) => this.onNotification(notification));
  }

  close() {
    this.closeTransports();
    this.protoo?.close();
  }

  /** The server is gone: the same room through the next one (the cluster starts the room wherever it lives). */
  failOver(servers) {
    const gone = this.protoo;
    gone.removeAllListeners();
    gone.close();
    this.closeTransports();
    this.state.peers.clear();
    const next = (this.serverIndex + 1) % servers.length;
    this.notice(`moving to ${servers[next]}`);
    this.connect(next);
  }

  async changeDisplayName(displayName) {
    await this.protoo.request('changeDisplayName', { displayName });
    this.options.displayName = displayName;
    this.changed();
  }

  async joinRoom() {
    const routerRtpCapabilities = await this.protoo.request('getRouterRtpCapabilities');
    this.device = new mediasoupClient.Device();
    await this.device.load({ routerRtpCapabilities });
    // mediasoup-client 3.7 (the demo's) exposes device.sctpCapabilities; later versions dropped it for this constant.
    const sctpCapabilities = this.options.datachannel ? (this.device.sctpCapabilities ?? { numStreams: { OS: 1024, MIS: 1024 } }) : undefined;

    if (this.options.produce) {
      this.sendTransport = await this.createTransport('send', { producing: true, consuming: false, sctpCapabilities });
    }
    if (this.options.consume) {
      this.recvTransport = await this.createTransport('recv', { producing: false, consuming: true, sctpCapabilities });
    }

    const { peers } = await this.protoo.request('join', {
      displayName: this.options.displayName,
      device: deviceInfo(),
      rtpCapabilities: this.options.consume ? this.device.rtpCapabilities : undefined,
      sctpCapabilities: this.options.consume ? sctpCapabilities : undefined,
    });
    for (const peer of peers) this.state.peers.set(peer.id, peer);
    this.joinCount += 1;
    this.setRoomState('connected');
    // A consumer may close while its stats are on the way; the next round simply skips it.
    this.statsTimer ??= setInterval(() => this.pollStats().catch(() => {}), 2000);

    if (this.options.produce) {
      // Both at once, as mediasoup-demo does (mediasoup-client queues the produce calls itself).
      await Promise.all([
        this.enableMic().catch((error) => this.notice(`microphone: ${error.message ?? error}`)),
        this.enableWebcam().catch((error) => this.notice(`webcam: ${error.message ?? error}`)),
      ]);
    }
  }

  async enableMic() {
    if (!this.device.canProduce('audio')) throw new Error('cannot produce audio');
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const producer = await this.sendTransport.produce({
      track: stream.getAudioTracks()[0],
      codecOptions: { opusStereo: true, opusDtx: true, opusFec: true, opusNack: true },
    });
    this.trackProducer('mic', producer);
  }

  async enableWebcam() {
    if (!this.device.canProduce('video')) throw new Error('cannot produce video');
    const { width, height } = RESOLUTIONS[this.options.resolution] ?? RESOLUTIONS.qvga;
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: 15 } } });
    const track = stream.getVideoTracks()[0];
    this.localVideoTrack = track;
    const codec = this.forcedVideoCodec();
    const encodings = this.videoEncodings(codec, this.options.simulcast, this.options.webcamScalabilityMode ?? (codec ? 'L3T3_KEY' : 'L1T3'));
    const producer = await this.sendTransport.produce({ track, encodings, codec, codecOptions: { videoGoogleStartBitrate: 1000 } });
    this.trackProducer('webcam', producer);
  }

  /**
   * Screen sharing as a second video producer (appData {share: true}, as the demo sends it).
   * A track may be given (tests, or a canvas); otherwise the browser asks which screen to share.
   */
  async enableShare(track) {
    if (this.state.producers.has('share')) return;
    if (!this.sendTransport) throw new Error('not producing');
    const shareTrack = track ?? (await navigator.mediaDevices.getDisplayMedia({
      audio: false, video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 15 } },
    })).getVideoTracks()[0];
    const codec = this.forcedVideoCodec();
    const encodings = this.videoEncodings(codec, this.options.sharingLayers, this.options.sharingScalabilityMode ?? (codec ? 'L3T3' : 'L1T3'));
    const producer = await this.sendTransport.produce({
      track: shareTrack, encodings, codec, codecOptions: { videoGoogleStartBitrate: 1000 }, appData: { share: true },
    });
    this.localShareTrack = shareTrack;
    producer.on('trackended', () => this.disableShare().catch((error) => this.notice(`screen share: ${error.message ?? error}`)));
    this.trackProducer('share', producer);
  }

  async disableShare() {
    const producer = this.state.producers.get('share');
    if (!producer) return;
    producer.close();
    this.state.producers.delete('share');
    this.localShareTrack = null;
    this.changed();
    await this.protoo.request('closeProducer', { producerId: producer.id });
  }

  /** The codec the URL forces (forceVP9, forceH264, forceVP8, svc), or undefined for the browser's choice. */
  forcedVideoCodec() {
    if (!this.options.forceCodec) return undefined;
    const codec = this.device.rtpCapabilities.codecs.find((c) => c.mimeType.toLowerCase() === this.options.forceCodec);
    if (!codec) throw new Error(`${this.options.forceCodec} is not supported`);
    return codec;
  }

  /** The demo's layers: VP9 one SVC encoding, otherwise 1–3 simulcast encodings; none when layers are off. */
  videoEncodings(codec, layered, scalabilityMode) {
    if (!layered) return undefined;
    if (codec?.mimeType.toLowerCase() === 'video/vp9') return [{ scalabilityMode, maxBitrate: 5000000 }];
    const count = Math.min(Math.max(this.options.simulcastStreams, 1), 3);
    return count > 1 ? SIMULCAST_ENCODINGS.slice(3 - count).map((encoding) => ({ ...encoding, scalabilityMode })) : undefined;
  }

  /** The demo's chat and bot DataProducers, once the send transport is connected. */
  async enableDataChannels() {
    const chat = await this.sendTransport.produceData({
      ordered: false, maxRetransmits: 1, label: 'chat', priority: 'medium', appData: { info: 'my-chat-DataProducer' },
    });
    this.state.dataProducers.set('chat', chat);
    const bot = await this.sendTransport.produceData({
      ordered: false, maxPacketLifeTime: 2000, label: 'bot', priority: 'medium', appData: { info: 'my-bot-DataProducer' },
    });
    this.state.dataProducers.set('bot', bot);
    this.changed();
  }

  /** Sends a text on the 'chat' (to every peer) or 'bot' (answered by the server's Bot) DataChannel. */
  sendText(label, text) {
    const dataProducer = this.state.dataProducers.get(label);
    if (!dataProducer) throw new Error(`no ${label} DataProducer`);
    dataProducer.send(text);
  }

  /**
   * Another DataProducer (peers joining later consume it, as in mediasoup-demo), e.g.
   * { label: 'bulk', ordered: true } for a reliable ordered channel. Resolves once it is open.
   */
  async createDataProducer({ label, ordered = true, maxRetransmits, maxPacketLifeTime }) {
    const dataProducer = await this.sendTransport.produceData({ label, ordered, maxRetransmits, maxPacketLifeTime });
    this.state.dataProducers.set(label, dataProducer);
    if (dataProducer.readyState !== 'open') await new Promise((resolve) => dataProducer.once('open', resolve));
    this.changed();
    return dataProducer.id;
  }

  /** Sends a string or bytes (an array of numbers becomes a Uint8Array) on one of this peer's DataProducers. */
  sendData(label, data) {
    const dataProducer = this.state.dataProducers.get(label);
    if (!dataProducer) throw new Error(`no ${label} DataProducer`);
    dataProducer.send(Array.isArray(data) ? new Uint8Array(data) : data);
  }

  trackProducer(source, producer) {
    this.state.producers.set(source, producer);
    producer.on('transportclose', () => this.state.producers.delete(source));
    this.changed();
  }

  /** Mute/unmute as the demo does: pause locally and on the server. */
  async setProducerPaused(source, paused) {
    const producer = this.state.producers.get(source);
    if (!producer) throw new Error(`no ${source} producer`);
    if (paused) producer.pause(); else producer.resume();
    await this.protoo.request(paused ? 'pauseProducer' : 'resumeProducer', { producerId: producer.id });
    this.changed();
  }

  async setConsumerPreferredLayers(consumerId, spatialLayer, temporalLayer) {
    await this.protoo.request('setConsumerPreferredLayers', { consumerId, spatialLayer, temporalLayer });
    const consumer = this.state.consumers.get(consumerId);
    if (consumer) consumer.appData.preferredLayers = { spatialLayer, temporalLayer: temporalLayer ?? null };
    this.changed();
  }

  /** Spatial layers a consumer can be switched between (from its scalabilityMode, e.g. L3T3 → 3). */
  static spatialLayersOf(consumer) {
    const mode = consumer.rtpParameters.encodings?.[0]?.scalabilityMode ?? '';
    const match = /^[LS](\d+)T(\d+)/.exec(mode);
    return match ? Number(match[1]) : 1;
  }

  /**
   * Every 2 s while connected: the server's get*Stats (bitrate, score) and the browser's audio
   * levels, kept on each consumer and producer for the tiles and the test hook.
   */
  async pollStats() {
    if (this.state.roomState !== 'connected' || this.statsPolling) return;
    this.statsPolling = true;
    try {
      for (const consumer of [...this.state.consumers.values()]) {
        const server = await this.protoo.request('getConsumerStats', { consumerId: consumer.id }).catch(() => null);
        if (!server || consumer.closed) continue;
        const outbound = server.find((e) => e.type === 'outbound-rtp') ?? {};
        const inbound = [...(await consumer.getStats()).values()].find((r) => r.type === 'inbound-rtp');
        consumer.appData.stats = {
          bitrate: outbound.bitrate ?? null,
          byteCount: outbound.byteCount ?? 0,
          score: outbound.score ?? null,
          audioLevel: inbound?.audioLevel ?? null,
        };
      }
      for (const [source, producer] of [...this.state.producers.entries()]) {
        const server = await this.protoo.request('getProducerStats', { producerId: producer.id }).catch(() => null);
        if (!server || producer.closed) continue;
        const byteCount = server.reduce((sum, e) => sum + e.byteCount, 0);
        const bitrate = server.reduce((sum, e) => sum + e.bitrate, 0);
        const mediaSource = source === 'mic'
          ? [...(await producer.getStats()).values()].find((r) => r.type === 'media-source') : null;
        producer.appData.stats = {
          bitrate,
          byteCount,
          scores: server.map((e) => e.score ?? null),
          audioLevel: mediaSource?.audioLevel ?? null,
        };
      }
      this.changed();
    } finally {
      this.statsPolling = false;
    }
  }

  /** What the browser learnt from the server's receiver reports about what it sends (remote-inbound-rtp). */
  async remoteInboundStats(source) {
    const producer = this.state.producers.get(source);
    if (!producer) return [];
    const stats = await producer.getStats();
    return [...stats.values()].filter((r) => r.type === 'remote-inbound-rtp')
      .map((r) => ({ ssrc: r.ssrc, packetsLost: r.packetsLost, fractionLost: r.fractionLost, roundTripTime: r.roundTripTime ?? null }));
  }

  /** Sender reports the server sent for the tracks this browser receives (remote-outbound-rtp). */
  async remoteOutboundStats() {
    const result = [];
    for (const consumer of this.state.consumers.values()) {
      const stats = await consumer.getStats();
      for (const report of stats.values()) {
        if (report.type === 'remote-outbound-rtp') {
          result.push({ consumerId: consumer.id, kind: consumer.kind, packetsSent: report.packetsSent, reportsSent: report.reportsSent });
        }
      }
    }
    return result;
  }

  /** What each remote track delivers, from the browser's own RTCInboundRtpStreamStats. */
  async inboundStats() {
    const result = [];
    for (const consumer of this.state.consumers.values()) {
      const stats = await consumer.getStats();
      for (const report of stats.values()) {
        if (report.type !== 'inbound-rtp') continue;
        result.push({
          consumerId: consumer.id,
          peerId: consumer.appData.peerId,
          kind: consumer.kind,
          paused: consumer.paused,
          producerPaused: consumer.appData.producerPaused ?? false,
          bytesReceived: report.bytesReceived ?? 0,
          packetsReceived: report.packetsReceived ?? 0,
          framesDecoded: report.framesDecoded ?? 0,
          frameWidth: report.frameWidth ?? 0,
          frameHeight: report.frameHeight ?? 0,
        });
      }
    }
    return result;
  }

  async createTransport(direction, { producing, consuming, sctpCapabilities }) {
    const info = await this.protoo.request('createWebRtcTransport', {
      forceTcp: this.options.forceTcp, producing, consuming, sctpCapabilities,
    });
    const create = direction === 'send' ? 'createSendTransport' : 'createRecvTransport';
    const transport = this.device[create]({
      id: info.id,
      iceParameters: info.iceParameters,
      iceCandidates: info.iceCandidates,
      dtlsParameters: { ...info.dtlsParameters, role: 'auto' },
      sctpParameters: info.sctpParameters,
      iceServers: [],
    });
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.protoo.request('connectWebRtcTransport', { transportId: transport.id, dtlsParameters })
        .then(callback).catch(errback);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        this.protoo.request('produce', { transportId: transport.id, kind, rtpParameters, appData })
          .then(({ id }) => callback({ id })).catch(errback);
      });
      transport.on('producedata', ({ sctpStreamParameters, label, protocol, appData }, callback, errback) => {
        this.protoo.request('produceData', { transportId: transport.id, sctpStreamParameters, label, protocol, appData })
          .then(({ id }) => callback({ id })).catch(errback);
      });
      if (sctpCapabilities) {
        transport.on('connectionstatechange', (state) => {
          if (state === 'connected' && !this.state.dataProducers.size) {
            this.enableDataChannels().catch((error) => this.notice(`data channels: ${error.message ?? error}`));
          }
        });
      }
    }
    transport.on('connectionstatechange', (connectionState) => {
      this.state.transports[direction] = connectionState;
      this.changed();
    });
    this.state.transports[direction] = transport.connectionState;
    return transport;
  }

  async onServerRequest(request, accept, reject) {
    switch (request.method) {
      case 'newConsumer': {
        if (!this.options.consume || !this.recvTransport) { reject(403, 'I do not want to consume'); return; }
        const { peerId, producerId, id, kind, rtpParameters, appData, producerPaused } = request.data;
        try {
          const consumer = await this.recvTransport.consume({
            id, producerId, kind, rtpParameters,
            streamId: `${peerId}-${appData?.share ? 'share' : 'mic-webcam'}`,
            appData: { ...appData, peerId, producerPaused, type: request.data.type, layers: null, score: null, preferredLayers: null, stats: null },
          });
          this.state.consumers.set(consumer.id, consumer);
          consumer.on('transportclose', () => this.state.consumers.delete(consumer.id));
          accept();
          this.changed();
        } catch (error) {
          reject(500, String(error));
        }
        return;
      }
      case 'newDataConsumer': {
        if (!this.options.consume || !this.recvTransport) { reject(403, 'I do not want to data consume'); return; }
        if (!this.options.datachannel) { reject(403, 'I do not want DataChannels'); return; }
        const { peerId, dataProducerId, id, sctpStreamParameters, label, protocol, appData } = request.data;
        try {
          const dataConsumer = await this.recvTransport.consumeData({
            id, dataProducerId, sctpStreamParameters, label, protocol, appData: { ...appData, peerId },
          });
          this.state.dataConsumers.set(dataConsumer.id, dataConsumer);
          dataConsumer.on('message', (message) => {
            const binary = typeof message !== 'string';
            this.state.messages.push({
              label,
              peerId,
              text: binary ? null : message,
              bytes: binary ? message.byteLength : message.length,
              checksum: binary ? checksum(new Uint8Array(message)) : null,
            });
            this.changed();
          });
          accept();
          this.changed();
        } catch (error) {
          reject(500, String(error));
        }
        return;
      }
      default:
        reject(500, `unknown request.method "${request.method}"`);
    }
  }

  onNotification({ method, data }) {
    switch (method) {
      case 'mediasoup-version':
        this.state.mediasoupVersion = data.version;
        break;
      case 'newPeer':
        this.state.peers.set(data.id, data);
        break;
      case 'peerClosed':
        this.state.peers.delete(data.peerId);
        break;
      case 'peerDisplayNameChanged': {
        const peer = this.state.peers.get(data.peerId);
        if (peer) peer.displayName = data.displayName;
        break;
      }
      case 'consumerPaused':
      case 'consumerResumed': {
        const consumer = this.state.consumers.get(data.consumerId);
        if (consumer) consumer.appData.producerPaused = method === 'consumerPaused';
        break;
      }
      case 'consumerScore': {
        const consumer = this.state.consumers.get(data.consumerId);
        if (consumer) consumer.appData.score = data.score;
        break;
      }
      case 'consumerLayersChanged': {
        const consumer = this.state.consumers.get(data.consumerId);
        if (consumer) consumer.appData.layers = { spatialLayer: data.spatialLayer, temporalLayer: data.temporalLayer };
        break;
      }
      case 'activeSpeaker': {
        const speaker = { peerId: data.peerId ?? null, volume: data.volume ?? null, at: Date.now() };
        this.state.activeSpeaker = speaker;
        this.state.activeSpeakerLog.push(speaker);
        if (this.state.activeSpeakerLog.length > 100) this.state.activeSpeakerLog.shift();
        break;
      }
      case 'consumerClosed':
        this.state.consumers.get(data.consumerId)?.close();
        this.state.consumers.delete(data.consumerId);
        break;
      case 'dataConsumerClosed':
        this.state.dataConsumers.get(data.dataConsumerId)?.close();
        this.state.dataConsumers.delete(data.dataConsumerId);
        break;
      default:
        break;
    }
    this.changed();
  }

  closeTransports() {
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    this.localVideoTrack = null;
    this.localShareTrack = null;
    this.state.producers.clear();
    this.state.consumers.clear();
    this.state.dataConsumers.clear();
    // A rejoin after a reconnect produces chat and bot anew on the new send transport.
    this.state.dataProducers.clear();
  }

  setRoomState(roomState) {
    this.state.roomState = roomState;
    this.changed();
  }

  notice(text) {
    this.state.notices.push(text);
    this.changed();
  }

  /** Coalesces change events to one per animation frame, so a burst of messages renders once. */
  changed() {
    if (this.changePending) return;
    this.changePending = true;
    const fire = () => {
      this.changePending = false;
      this.dispatchEvent(new Event('change'));
    };
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') requestAnimationFrame(fire);
    else setTimeout(fire, 16);
  }

  /** A plain-data view of the state, for the UI and the test hook. */
  snapshot() {
    return {
      roomId: this.options.roomId,
      peerId: this.options.peerId,
      displayName: this.options.displayName,
      roomState: this.state.roomState,
      server: (this.options.servers ?? [window.location.host])[this.serverIndex ?? 0],
      joinCount: this.joinCount,
      mediasoupVersion: this.state.mediasoupVersion,
      peers: [...this.state.peers.values()].map(({ id, displayName, device }) => ({ id, displayName, device })),
      transports: { ...this.state.transports },
      producers: [...this.state.producers.entries()].map(([source, p]) => ({
        source, id: p.id, kind: p.kind, paused: p.paused, stats: p.appData.stats ?? null,
      })),
      consumers: [...this.state.consumers.values()].map((c) => ({
        id: c.id,
        peerId: c.appData.peerId,
        kind: c.kind,
        type: c.appData.type,
        share: Boolean(c.appData.share),
        producerPaused: c.appData.producerPaused,
        layers: c.appData.layers,
        preferredLayers: c.appData.preferredLayers,
        spatialLayers: RoomClient.spatialLayersOf(c),
        score: c.appData.score,
        stats: c.appData.stats,
      })),
      dataConsumers: [...this.state.dataConsumers.values()].map((d) => ({ id: d.id, label: d.label, peerId: d.appData.peerId, readyState: d.readyState })),
      dataProducers: [...this.state.dataProducers.entries()].map(([label, d]) => ({ label, id: d.id, readyState: d.readyState })),
      messages: this.state.messages.slice(-200),
      activeSpeaker: { ...this.state.activeSpeaker },
      activeSpeakerLog: this.state.activeSpeakerLog.map((s) => ({ ...s })),
      notices: [...this.state.notices],
    };
  }
}

/** What the demo's app sends as `device` in join: the browser's flag, name and major version. */
function deviceInfo() {
  const firefox = /\bFirefox\/(\d+)/.exec(navigator.userAgent);
  if (firefox) return { flag: 'firefox', name: 'Firefox', version: firefox[1] };
  const chrome = /\b(?:Chrome|Chromium)\/(\d+)/.exec(navigator.userAgent);
  return { flag: 'chrome', name: 'Chrome', version: chrome?.[1] ?? '0' };
}

/** A cheap content check for binary messages (tests compare it with the sender's). */
export function checksum(bytes) {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum = (sum * 31 + bytes[i]) >>> 0;
  return sum;
}
