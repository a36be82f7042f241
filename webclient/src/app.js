// The built-in web client. Landing page without ?roomId, room page with it. Tests and tools
// reach the page state through window.sfu (documented in docs/web-client.md).
import { RoomClient } from './RoomClient.js';
import { ConnectivityCheck } from './ConnectivityCheck.js';
import { readUrlOptions, randomId } from './urlOptions.js';

const options = readUrlOptions();
const $ = (id) => document.getElementById(id);

const tiles = new Map();

window.sfu = { client: null, ConnectivityCheck, checks: [] };

if (options.roomId) showRoom();
else showLanding();

function showLanding() {
  $('landing').hidden = false;
  const form = $('join-form');
  form.roomId.value = randomId(8);
  form.displayName.value = localStorage.getItem('displayName') ?? '';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    localStorage.setItem('displayName', form.displayName.value);
    const query = new URLSearchParams({ roomId: form.roomId.value, displayName: form.displayName.value });
    window.location.search = query.toString();
  });
  $('check-udp').addEventListener('click', () => runCheck(false));
  $('check-tcp').addEventListener('click', () => runCheck(true));
}

async function runCheck(forceTcp) {
  const output = $('check-result');
  output.textContent = `checking ${forceTcp ? 'TCP' : 'UDP'}…`;
  const check = new ConnectivityCheck({ forceTcp });
  window.sfu.checks.push(check);
  try {
    const state = await check.start();
    const stats = await check.serverStats();
    output.textContent = `${state} over ${await check.selectedProtocol()}: ICE ${stats.iceState}, DTLS ${stats.dtlsState}, ` +
      `${stats.rtpPacketsReceived ?? 0} SRTP packets decrypted by the server`;
  } catch (error) {
    output.textContent = `failed: ${error.message ?? error}`;
  } finally {
    check.close();
  }
}

function showRoom() {
  $('room').hidden = false;
  options.displayName ||= localStorage.getItem('displayName') || `Guest ${randomId(4)}`;
  const client = new RoomClient(options);
  window.sfu.client = client;
  client.addEventListener('change', () => render(client.snapshot()));
  client.join();
  render(client.snapshot());
  const form = $('chat-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = form.text.value.trim();
    if (!text) return;
    try {
      client.sendText(form.toBot.checked ? 'bot' : 'chat', text);
      client.state.messages.push({ label: 'me', peerId: client.options.peerId, text });
      client.changed();
      form.text.value = '';
    } catch (error) {
      client.notice(`chat: ${error.message ?? error}`);
    }
  });
}

function render(view) {
  $('room-id').textContent = view.roomId;
  $('me-name').textContent = view.displayName;
  $('room-state').textContent = view.roomState;
  const banner = $('connection-banner');
  banner.hidden = view.roomState !== 'disconnected';
  banner.textContent = 'WebSocket disconnected, reconnecting…';
  $('peers').replaceChildren(...view.peers.map((peer) => {
    const item = document.createElement('li');
    item.textContent = `${peer.displayName ?? peer.id} (${peer.device?.name ?? 'unknown device'})`;
    return item;
  }));
  renderTiles(view);
  $('messages').replaceChildren(...view.messages.slice(-100).map((message) => {
    const item = document.createElement('li');
    const who = message.label === 'bot' ? 'Bot' : message.label === 'me' ? 'You'
      : (view.peers.find((p) => p.id === message.peerId)?.displayName ?? message.peerId);
    item.textContent = `${who}: ${message.text ?? `[${message.bytes} bytes]`}`;
    return item;
  }));
  $('notices').replaceChildren(...view.notices.map((text) => {
    const item = document.createElement('li');
    item.textContent = text;
    return item;
  }));
}


/** One tile per remote peer with its video and audio; elements persist across renders. */
function renderTiles(view) {
  const client = window.sfu.client;
  const container = $('tiles');
  const local = $('local-video');
  if (client.localVideoTrack && !local.srcObject) local.srcObject = new MediaStream([client.localVideoTrack]);

  const byPeer = client.remoteTracks();
  for (const [peerId, tile] of tiles) {
    if (!byPeer.has(peerId) && !view.peers.some((p) => p.id === peerId)) {
      tile.root.remove();
      tiles.delete(peerId);
    }
  }
  for (const peer of view.peers) {
    let tile = tiles.get(peer.id);
    if (!tile) {
      const root = document.createElement('figure');
      root.className = 'tile';
      root.dataset.peerId = peer.id;
      const video = document.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      video.muted = true;
      const audio = document.createElement('audio');
      audio.autoplay = true;
      const caption = document.createElement('figcaption');
      root.append(video, audio, caption);
      container.append(root);
      tile = { root, video, audio, caption, videoTrack: null, audioTrack: null };
      tiles.set(peer.id, tile);
    }
    tile.caption.textContent = peer.displayName ?? peer.id;
    const consumers = byPeer.get(peer.id) ?? [];
    const video = consumers.find((c) => c.kind === 'video');
    const audio = consumers.find((c) => c.kind === 'audio');
    if ((video?.track ?? null) !== tile.videoTrack) {
      tile.videoTrack = video?.track ?? null;
      tile.video.srcObject = tile.videoTrack ? new MediaStream([tile.videoTrack]) : null;
    }
    if ((audio?.track ?? null) !== tile.audioTrack) {
      tile.audioTrack = audio?.track ?? null;
      tile.audio.srcObject = tile.audioTrack ? new MediaStream([tile.audioTrack]) : null;
    }
    tile.root.classList.toggle('paused', Boolean(video?.appData.producerPaused));
  }
}
