// URL flags as mediasoup-demo's app reads them (protocol.md §8).
export function readUrlOptions(location = window.location) {
  const params = new URLSearchParams(location.search);
  const flag = (name, fallback) => {
    const value = params.get(name);
    return value === null ? fallback : value !== 'false';
  };
  const svc = params.get('svc');
  return {
    roomId: params.get('roomId'),
    peerId: params.get('peerId') || randomId(8),
    displayName: params.get('displayName'),
    forceTcp: flag('forceTcp', false),
    produce: flag('produce', true),
    consume: flag('consume', true),
    datachannel: flag('datachannel', true),
    // simulcast=false is this client's short name for the demo's enableWebcamLayers=false.
    simulcast: flag('simulcast', true) && flag('enableWebcamLayers', true),
    sharingLayers: flag('enableSharingLayers', true),
    simulcastStreams: Number(params.get('numSimulcastStreams') ?? 3),
    // svc=L3T3 picks VP9 with that scalability mode, as the demo's forceVP9 + webcamScalabilityMode.
    webcamScalabilityMode: params.get('webcamScalabilityMode') ?? svc ?? null,
    sharingScalabilityMode: params.get('sharingScalabilityMode') ?? null,
    forceCodec: svc || flag('forceVP9', false) ? 'video/vp9'
      : flag('forceH264', false) ? 'video/h264'
        : flag('forceVP8', false) ? 'video/vp8' : null,
    resolution: params.get('resolution') ?? 'vga',
    servers: serverList(params.get('servers'), location.host),
  };
}

/**
 * This page's server first, then the other nodes of a cluster named by servers=host:port,… (this
 * client's own flag): where the client connects when the one it is on is gone.
 */
export function serverList(servers, pageHost) {
  const others = (servers ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return [...new Set([pageHost, ...others])];
}

export function randomId(length) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** The protoo URL on host (default: this page's server), with the page's access token (token=…) when it has one. */
export function protooUrl({ roomId, peerId }, location = window.location, host = location.host) {
  const query = new URLSearchParams({ roomId, peerId });
  const token = new URLSearchParams(location.search).get('token');
  if (token) query.set('token', token);
  return `wss://${host}/?${query}`;
}
