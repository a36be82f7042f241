// The landing page's "connection check": a server WebRtcTransport and a plain RTCPeerConnection
// sending microphone audio to it, without joining a room. It shows whether ICE (UDP or TCP),
// DTLS and SRTP work between this browser and the server, before any call.
import * as protooClient from 'protoo-client';
import { protooUrl, randomId } from './urlOptions.js';

export class ConnectivityCheck {
  constructor({ forceTcp = false } = {}) {
    this.forceTcp = forceTcp;
    this.events = [];
    this.transportId = null;
  }

  /**
   * Runs the check until the media connection is up (or fails).
   * @param {{remoteFingerprint?: {algorithm: string, value: string}}} options
   *   remoteFingerprint replaces this browser's certificate fingerprint in
   *   connectWebRtcTransport (to see the server refuse a certificate it was not told about).
   */
  async start({ remoteFingerprint } = {}) {
    this.protoo = await openProtoo({ roomId: `check-${randomId(8)}`, peerId: randomId(8) });
    this.protoo.on('close', () => this.log('signaling closed'));
    const info = await this.protoo.request('createWebRtcTransport', {
      forceTcp: this.forceTcp, producing: true, consuming: false,
    });
    this.transportId = info.id;
    this.iceParameters = info.iceParameters;
    this.info = info;

    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    this.pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
    this.pc.addEventListener('connectionstatechange', () => this.log(`connection ${this.pc.connectionState}`));

    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerFor(offer.sdp, info) });

    const fingerprint = remoteFingerprint ?? fingerprintOf(offer.sdp);
    await this.protoo.request('connectWebRtcTransport', {
      transportId: info.id,
      dtlsParameters: { role: 'client', fingerprints: [fingerprint] },
    });
    return this.waitForConnection();
  }

  /** New ICE credentials on both sides; the connection must come back by itself. */
  async restartIce() {
    const iceParameters = await this.protoo.request('restartIce', { transportId: this.transportId });
    this.iceParameters = iceParameters;
    const offer = await this.pc.createOffer({ iceRestart: true });
    await this.pc.setLocalDescription(offer);
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerFor(offer.sdp, { ...this.info, iceParameters }) });
    return iceParameters;
  }

  async serverStats() {
    const [stats] = await this.protoo.request('getTransportStats', { transportId: this.transportId });
    return stats;
  }

  async waitForConnection(timeoutMs = 15000) {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const state = this.pc.connectionState;
      if (state === 'connected' || state === 'failed' || state === 'closed') break;
      await sleep(100);
    }
    return this.pc.connectionState;
  }

  async selectedProtocol() {
    const stats = await this.pc.getStats();
    for (const report of stats.values()) {
      if (report.type === 'transport' && report.selectedCandidatePairId) {
        const pair = stats.get(report.selectedCandidatePairId);
        return stats.get(pair.remoteCandidateId)?.protocol ?? null;
      }
    }
    return null;
  }

  log(text) {
    this.events.push(text);
  }

  close() {
    this.pc?.close();
    this.protoo?.close();
  }
}

function openProtoo({ roomId, peerId }) {
  const transport = new protooClient.WebSocketTransport(protooUrl({ roomId, peerId }), { retry: { retries: 0 } });
  const peer = new protooClient.Peer(transport);
  return new Promise((resolve, reject) => {
    peer.on('open', () => resolve(peer));
    peer.on('failed', () => reject(new Error('signaling connection failed')));
  });
}

export function fingerprintOf(sdp) {
  const match = /^a=fingerprint:(\S+) (\S+)/m.exec(sdp);
  if (!match) throw new Error('offer without a=fingerprint');
  return { algorithm: match[1].toLowerCase(), value: match[2] };
}

/** An SDP answer from the server transport's parameters: ICE-lite, DTLS passive, receive-only audio. */
export function answerFor(offerSdp, { iceParameters, iceCandidates, dtlsParameters }) {
  const mid = /^a=mid:(\S+)/m.exec(offerSdp)?.[1] ?? '0';
  const opus = /^a=rtpmap:(\d+) opus\/48000\/2/mi.exec(offerSdp)?.[1] ?? '111';
  const fingerprint = dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256');
  const candidates = iceCandidates.map((c) =>
    `a=candidate:${c.foundation} 1 ${c.protocol} ${c.priority} ${c.address} ${c.port} typ host` +
    (c.protocol === 'tcp' ? ` tcptype ${c.tcpType}` : ''));
  return [
    'v=0',
    `o=- ${Date.now()} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    `a=group:BUNDLE ${mid}`,
    'a=ice-lite',
    `m=audio 9 UDP/TLS/RTP/SAVPF ${opus}`,
    'c=IN IP4 0.0.0.0',
    `a=mid:${mid}`,
    `a=ice-ufrag:${iceParameters.usernameFragment}`,
    `a=ice-pwd:${iceParameters.password}`,
    `a=fingerprint:${fingerprint.algorithm} ${fingerprint.value}`,
    'a=setup:passive',
    'a=recvonly',
    'a=rtcp-mux',
    `a=rtpmap:${opus} opus/48000/2`,
    ...candidates,
    'a=end-of-candidates',
    '',
  ].join('\r\n');
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
