// The built-in web client. Landing page without ?roomId, room page with it. Tests and tools
// reach the page state through window.sfu (documented in docs/web-client.md).
import { RoomClient } from './RoomClient.js';
import { ConnectivityCheck } from './ConnectivityCheck.js';
import { readUrlOptions, randomId } from './urlOptions.js';

const options = readUrlOptions();
const $ = (id) => document.getElementById(id);

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
  $('notices').replaceChildren(...view.notices.map((text) => {
    const item = document.createElement('li');
    item.textContent = text;
    return item;
  }));
}
