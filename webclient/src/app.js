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
  const act = (action) => action().catch((error) => client.notice(error.message ?? String(error)));
  const pausedOf = (source) => client.snapshot().producers.find((p) => p.source === source)?.paused;
  $('toggle-mic').addEventListener('click', () => act(() => client.setProducerPaused('mic', !pausedOf('mic'))));
  $('toggle-webcam').addEventListener('click', () => act(() => client.setProducerPaused('webcam', !pausedOf('webcam'))));
  $('toggle-share').addEventListener('click', () => act(() => (client.state.producers.has('share') ? client.disableShare() : client.enableShare())));
}

function render(view) {
  $('room-id').textContent = view.roomId;
  $('me-name').textContent = view.displayName;
  $('room-state').textContent = view.roomState;
  const banner = $('connection-banner');
  const reconnecting = view.roomState === 'disconnected' || (view.roomState === 'connecting' && view.joinCount > 0);
  banner.hidden = !reconnecting;
  banner.textContent = 'Connection to the server lost — reconnecting; you will rejoin the room automatically.';
  renderControls(view);
  $('peers').replaceChildren(...view.peers.map((peer) => {
    const item = document.createElement('li');
    item.textContent = `${peer.displayName ?? peer.id} (${peer.device?.name ?? 'unknown device'})`;
    return item;
  }));
  renderTiles(view);
  renderMessages(view);
  $('notices').replaceChildren(...view.notices.map((text) => {
    const item = document.createElement('li');
    item.textContent = text;
    return item;
  }));
}

let renderedMessages = 0;

/** The chat list, redrawn only when a message arrives, kept scrolled to the newest unless the reader scrolled up. */
function renderMessages(view) {
  const total = window.sfu.client.state.messages.length;
  if (total === renderedMessages) return;
  renderedMessages = total;
  const list = $('messages');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  list.replaceChildren(...view.messages.slice(-100).map((message) => {
    const item = document.createElement('li');
    const who = message.label === 'bot' ? 'Bot' : message.label === 'me' ? 'You'
      : (view.peers.find((p) => p.id === message.peerId)?.displayName ?? message.peerId);
    item.textContent = `${who}: ${message.text ?? `[${message.bytes} bytes]`}`;
    return item;
  }));
  if (atBottom) list.scrollTop = list.scrollHeight;
}

/** The mic, camera and screen-share buttons: real buttons whose label says what a press does. */
function renderControls(view) {
  const producer = (source) => view.producers.find((p) => p.source === source);
  const connected = view.roomState === 'connected';
  const setButton = (id, { enabled, pressed, label }) => {
    const button = $(id);
    button.disabled = !enabled;
    button.setAttribute('aria-pressed', String(pressed));
    button.textContent = label;
  };
  const mic = producer('mic');
  setButton('toggle-mic', { enabled: connected && Boolean(mic), pressed: Boolean(mic?.paused), label: mic?.paused ? 'Unmute microphone' : 'Mute microphone' });
  const webcam = producer('webcam');
  setButton('toggle-webcam', { enabled: connected && Boolean(webcam), pressed: Boolean(webcam?.paused), label: webcam?.paused ? 'Turn camera on' : 'Turn camera off' });
  const share = producer('share');
  setButton('toggle-share', {
    enabled: connected && view.transports.send !== undefined && Boolean(navigator.mediaDevices?.getDisplayMedia),
    pressed: Boolean(share),
    label: share ? 'Stop sharing' : 'Share screen',
  });
}

const QUALITY_NAMES = ['Low', 'Medium', 'High'];

/** A tile: video, audio, name, level meter, stats line and (for layered video) a quality switch. */
function createTile(key, label) {
  const root = document.createElement('figure');
  root.className = 'tile';
  root.dataset.tile = key;
  const video = document.createElement('video');
  video.autoplay = true;
  video.playsInline = true;
  video.muted = true;
  const audio = document.createElement('audio');
  audio.autoplay = true;
  const caption = document.createElement('figcaption');
  const name = document.createElement('span');
  name.className = 'name';
  const state = document.createElement('span');
  state.className = 'state';
  const level = document.createElement('meter');
  level.className = 'level';
  level.min = 0;
  level.max = 1;
  level.value = 0;
  caption.append(name, state, level);
  const stats = document.createElement('p');
  stats.className = 'stats';
  const qualityLabel = document.createElement('label');
  qualityLabel.className = 'quality';
  qualityLabel.hidden = true;
  qualityLabel.append('Quality ');
  const quality = document.createElement('select');
  qualityLabel.append(quality);
  quality.addEventListener('change', () => {
    const consumerId = quality.dataset.consumerId;
    if (!consumerId) return;
    window.sfu.client.setConsumerPreferredLayers(consumerId, Number(quality.value))
      .catch((error) => window.sfu.client.notice(`quality: ${error.message ?? error}`));
  });
  root.append(video, audio, caption, stats, qualityLabel);
  $('tiles').append(root);
  level.setAttribute('aria-label', `Audio level of ${label}`);
  return { root, video, audio, name, state, level, stats, quality, qualityLabel, videoTrack: null, audioTrack: null, layerCount: 0 };
}

function setTrack(tile, kind, track) {
  const key = `${kind}Track`;
  if ((track ?? null) === tile[key]) return;
  tile[key] = track ?? null;
  tile[kind].srcObject = track ? new MediaStream([track]) : null;
}

function formatBitrate(bps) {
  if (typeof bps !== 'number') return '–';
  return bps >= 1e6 ? `${(bps / 1e6).toFixed(1)} Mbps` : `${Math.round(bps / 1000)} kbps`;
}

function consumerStatsText(consumer) {
  if (!consumer) return '';
  const parts = [`${consumer.kind} ${formatBitrate(consumer.stats?.bitrate)}`];
  const score = consumer.score?.score ?? consumer.stats?.score;
  if (typeof score === 'number') parts.push(`score ${score}`);
  if (consumer.layers) parts.push(consumer.layers.spatialLayer === null ? 'no layer' : `layers S${consumer.layers.spatialLayer} T${consumer.layers.temporalLayer}`);
  return parts.join(' · ');
}

/** Keeps the quality select in step with the consumer's spatial layers; hidden for single-layer video. */
function renderQuality(tile, video, peerName) {
  const layers = video?.spatialLayers ?? 1;
  tile.qualityLabel.hidden = layers < 2;
  if (layers < 2) return;
  tile.quality.dataset.consumerId = video.id;
  tile.quality.setAttribute('aria-label', `Video quality of ${peerName}`);
  if (tile.layerCount !== layers) {
    tile.layerCount = layers;
    const names = QUALITY_NAMES.slice(3 - Math.min(layers, 3));
    tile.quality.replaceChildren(...names.map((name, index) => new Option(name, String(index))).reverse());
  }
  const preferred = video.preferredLayers?.spatialLayer ?? layers - 1;
  if (document.activeElement !== tile.quality) tile.quality.value = String(Math.min(preferred, layers - 1));
}

/** One tile per remote peer, one per remote screen share, and the local ones; elements persist across renders. */
function renderTiles(view) {
  const client = window.sfu.client;
  const speaker = view.activeSpeaker.peerId;

  const local = tiles.get('local') ?? tiles.set('local', createTile('local', 'you')).get('local');
  local.root.classList.add('local');
  local.name.textContent = `${view.displayName} (you)`;
  setTrack(local, 'video', client.localVideoTrack);
  const mic = view.producers.find((p) => p.source === 'mic');
  const webcam = view.producers.find((p) => p.source === 'webcam');
  local.state.textContent = [mic?.paused ? 'muted' : '', webcam?.paused ? 'camera off' : ''].filter(Boolean).join(', ');
  local.level.value = mic?.paused ? 0 : (mic?.stats?.audioLevel ?? 0);
  local.root.classList.toggle('speaking', speaker === view.peerId);
  local.root.classList.toggle('paused', Boolean(webcam?.paused));
  local.stats.textContent = [webcam && `video ${formatBitrate(webcam.stats?.bitrate)}`, mic && `audio ${formatBitrate(mic.stats?.bitrate)}`]
    .filter(Boolean).join(' · ');

  const wanted = new Set(['local']);
  if (client.localShareTrack) {
    wanted.add('local-share');
    const share = tiles.get('local-share') ?? tiles.set('local-share', createTile('local-share', 'your screen')).get('local-share');
    share.name.textContent = 'Your screen';
    share.level.hidden = true;
    setTrack(share, 'video', client.localShareTrack);
    const producer = view.producers.find((p) => p.source === 'share');
    share.stats.textContent = producer ? `video ${formatBitrate(producer.stats?.bitrate)}` : '';
  }

  for (const peer of view.peers) {
    const name = peer.displayName ?? peer.id;
    const consumers = view.consumers.filter((c) => c.peerId === peer.id);
    const video = consumers.find((c) => c.kind === 'video' && !c.share);
    const audio = consumers.find((c) => c.kind === 'audio');
    wanted.add(`peer:${peer.id}`);
    const tile = tiles.get(`peer:${peer.id}`) ?? tiles.set(`peer:${peer.id}`, createTile(`peer:${peer.id}`, name)).get(`peer:${peer.id}`);
    tile.root.dataset.peerId = peer.id;
    tile.name.textContent = name;
    setTrack(tile, 'video', video && client.state.consumers.get(video.id)?.track);
    setTrack(tile, 'audio', audio && client.state.consumers.get(audio.id)?.track);
    const videoOff = !video || video.producerPaused;
    tile.state.textContent = [audio?.producerPaused || !audio ? 'muted' : '', videoOff ? 'camera off' : ''].filter(Boolean).join(', ');
    tile.root.classList.toggle('paused', videoOff);
    tile.root.classList.toggle('speaking', speaker === peer.id);
    tile.level.value = audio?.producerPaused ? 0 : (audio?.stats?.audioLevel ?? 0);
    tile.stats.textContent = [consumerStatsText(video), consumerStatsText(audio)].filter(Boolean).join('\n');
    renderQuality(tile, video, name);

    for (const share of consumers.filter((c) => c.kind === 'video' && c.share)) {
      const key = `share:${share.id}`;
      wanted.add(key);
      const shareTile = tiles.get(key) ?? tiles.set(key, createTile(key, `${name}'s screen`)).get(key);
      shareTile.root.dataset.peerId = peer.id;
      shareTile.name.textContent = `${name}'s screen`;
      shareTile.level.hidden = true;
      setTrack(shareTile, 'video', client.state.consumers.get(share.id)?.track);
      shareTile.root.classList.toggle('paused', Boolean(share.producerPaused));
      shareTile.stats.textContent = consumerStatsText(share);
      renderQuality(shareTile, share, `${name}'s screen`);
    }
  }
  for (const [key, tile] of tiles) {
    if (!wanted.has(key)) {
      tile.root.remove();
      tiles.delete(key);
    }
  }
}
