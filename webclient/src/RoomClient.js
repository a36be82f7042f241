// A room session as mediasoup-demo's RoomClient runs it: protoo signaling, a mediasoup-client
// Device, a send and a receive transport, and the peers of the room.
import * as protooClient from 'protoo-client';
import * as mediasoupClient from 'mediasoup-client';
import { protooUrl } from './urlOptions.js';

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
      dataConsumers: new Map(),
      notices: [],
    };
    this.device = null;
    this.sendTransport = null;
    this.recvTransport = null;
  }

  join() {
    const transport = new protooClient.WebSocketTransport(protooUrl(this.options));
    this.protoo = new protooClient.Peer(transport);
    this.setRoomState('connecting');
    this.protoo.on('open', () => this.joinRoom().catch((error) => this.notice(`join failed: ${error.message ?? error}`)));
    this.protoo.on('failed', () => this.notice('WebSocket connection failed'));
    this.protoo.on('disconnected', () => {
      this.closeTransports();
      this.state.peers.clear();
      this.setRoomState('disconnected');
    });
    this.protoo.on('close', () => this.setRoomState('closed'));
    this.protoo.on('request', (request, accept, reject) => this.onServerRequest(request, accept, reject));
    this.protoo.on('notification', (notification) => this.onNotification(notification));
  }

  close() {
    this.closeTransports();
    this.protoo?.close();
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
    const sctpCapabilities = this.options.datachannel ? this.device.sctpCapabilities : undefined;

    if (this.options.produce) {
      this.sendTransport = await this.createTransport('send', { producing: true, consuming: false, sctpCapabilities });
    }
    if (this.options.consume) {
      this.recvTransport = await this.createTransport('recv', { producing: false, consuming: true, sctpCapabilities });
    }

    const { peers } = await this.protoo.request('join', {
      displayName: this.options.displayName,
      device: { flag: 'chrome', name: navigator.userAgent.includes('Firefox') ? 'Firefox' : 'Chrome', version: '0' },
      rtpCapabilities: this.options.consume ? this.device.rtpCapabilities : undefined,
      sctpCapabilities: this.options.consume ? sctpCapabilities : undefined,
    });
    for (const peer of peers) this.state.peers.set(peer.id, peer);
    this.setRoomState('connected');
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
        const { peerId, producerId, id, kind, rtpParameters, appData } = request.data;
        try {
          const consumer = await this.recvTransport.consume({
            id, producerId, kind, rtpParameters,
            streamId: `${peerId}-${appData?.share ? 'share' : 'mic-webcam'}`,
            appData: { ...appData, peerId },
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
    this.state.consumers.clear();
    this.state.dataConsumers.clear();
  }

  setRoomState(roomState) {
    this.state.roomState = roomState;
    this.changed();
  }

  notice(text) {
    this.state.notices.push(text);
    this.changed();
  }

  changed() {
    this.dispatchEvent(new Event('change'));
  }

  /** A plain-data view of the state, for the UI and the test hook. */
  snapshot() {
    return {
      roomId: this.options.roomId,
      peerId: this.options.peerId,
      displayName: this.options.displayName,
      roomState: this.state.roomState,
      mediasoupVersion: this.state.mediasoupVersion,
      peers: [...this.state.peers.values()].map(({ id, displayName, device }) => ({ id, displayName, device })),
      transports: { ...this.state.transports },
      consumers: this.state.consumers.size,
      dataConsumers: this.state.dataConsumers.size,
      notices: [...this.state.notices],
    };
  }
}
