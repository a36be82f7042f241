// URL flags as mediasoup-demo's app reads them (protocol.md §8).
export function readUrlOptions(location = window.location) {
  const params = new URLSearchParams(location.search);
  const flag = (name, fallback) => {
    const value = params.get(name);
    return value === null ? fallback : value !== 'false';
  };
  return {
    roomId: params.get('roomId'),
    peerId: params.get('peerId') || randomId(8),
    displayName: params.get('displayName'),
    forceTcp: flag('forceTcp', false),
    produce: flag('produce', true),
    consume: flag('consume', true),
    datachannel: flag('datachannel', true),
    simulcast: flag('simulcast', true),
    simulcastStreams: Number(params.get('numSimulcastStreams') ?? 3),
    resolution: params.get('resolution') ?? 'vga',
    // As the demo: forceVP9 picks VP9, svc=<scalabilityMode> (e.g. L3T3_KEY) sends VP9 SVC instead of simulcast.
    forceVP9: flag('forceVP9', false),
    svc: params.get('svc'),
  };
}

export function randomId(length) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export function protooUrl({ roomId, peerId }, location = window.location) {
  const query = new URLSearchParams({ roomId, peerId });
  return `wss://${location.host}/?${query}`;
}
