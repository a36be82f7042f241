#!/usr/bin/env bash
# Publishes into a room through the broadcaster HTTP API, as mediasoup-demo's
# broadcasters/ffmpeg.sh does, with curl and ffmpeg: a broadcaster, one comedia
# PlainTransport per kind (RTCP on its own port), an Opus and a VP8 producer, then
# ffmpeg streams plain RTP to them. By default it sends a test pattern and a sine
# tone; MEDIA_FILE sends a file instead. On exit (Ctrl+C, SIGTERM, ffmpeg ending)
# it stops ffmpeg and deletes the broadcaster, so peers get peerClosed.
#
#   ROOM_ID=r1 scripts/ffmpeg-broadcaster.sh
#
# Environment:
#   ROOM_ID          room to publish in (required; a peer must be in it: the room must exist)
#   SERVER_URL       API base URL (default http://127.0.0.1:8888; https://host:4443 works too)
#   BROADCASTER_ID   broadcaster id (default: random)
#   DISPLAY_NAME     shown to peers (default Broadcaster)
#   MEDIA_FILE       an audio+video file to loop instead of the test pattern and tone
#   VIDEO_SIZE       test pattern size (default 320x240)
#   VIDEO_FPS        test pattern frame rate (default 15)
#   VIDEO_BITRATE    VP8 bitrate (default 300k)
set -euo pipefail

SERVER_URL=${SERVER_URL:-http://127.0.0.1:8888}
ROOM_ID=${ROOM_ID:?ROOM_ID is required}
BROADCASTER_ID=${BROADCASTER_ID:-$(tr -d - < /proc/sys/kernel/random/uuid)}
DISPLAY_NAME=${DISPLAY_NAME:-Broadcaster}
VIDEO_SIZE=${VIDEO_SIZE:-320x240}
VIDEO_FPS=${VIDEO_FPS:-15}
VIDEO_BITRATE=${VIDEO_BITRATE:-300k}
AUDIO_SSRC=1111
AUDIO_PT=100
VIDEO_SSRC=2222
VIDEO_PT=101

for tool in curl ffmpeg; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

# curl that fails on HTTP errors and prints the server's error body; -k: the default certificate is self-signed.
api() {
  local method=$1 path=$2 body=${3:-}
  curl -sS -k --fail-with-body -X "$method" -H 'Content-Type: application/json' \
    ${body:+--data "$body"} "${SERVER_URL}${path}"
}

# Fields of the server's compact JSON answers (no jq needed).
json_string() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" <<<"$2"; }
json_number() { sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" <<<"$2"; }

echo ">>> checking that room '${ROOM_ID}' exists"
api GET "/rooms/${ROOM_ID}" >/dev/null

echo ">>> creating broadcaster ${BROADCASTER_ID}"
api POST "/rooms/${ROOM_ID}/broadcasters" \
  "{\"id\":\"${BROADCASTER_ID}\",\"displayName\":\"${DISPLAY_NAME}\",\"device\":{\"name\":\"FFmpeg\"}}" >/dev/null

ffmpeg_pid=
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$ffmpeg_pid" ]; then
    kill "$ffmpeg_pid" 2>/dev/null || true
    wait "$ffmpeg_pid" 2>/dev/null || true
  fi
  echo ">>> deleting broadcaster ${BROADCASTER_ID}"
  api DELETE "/rooms/${ROOM_ID}/broadcasters/${BROADCASTER_ID}" >/dev/null || true
  exit "$status"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

base="/rooms/${ROOM_ID}/broadcasters/${BROADCASTER_ID}/transports"
plain_transport() { api POST "$base" '{"type":"plain","comedia":true,"rtcpMux":false}'; }

echo ">>> creating a PlainTransport for audio and one for video"
audio=$(plain_transport)
video=$(plain_transport)
audio_id=$(json_string id "$audio"); audio_ip=$(json_string ip "$audio")
audio_port=$(json_number port "$audio"); audio_rtcp_port=$(json_number rtcpPort "$audio")
video_id=$(json_string id "$video"); video_ip=$(json_string ip "$video")
video_port=$(json_number port "$video"); video_rtcp_port=$(json_number rtcpPort "$video")

echo ">>> creating the Opus and VP8 producers"
api POST "$base/${audio_id}/producers" \
  "{\"kind\":\"audio\",\"rtpParameters\":{\"codecs\":[{\"mimeType\":\"audio/opus\",\"payloadType\":${AUDIO_PT},\"clockRate\":48000,\"channels\":2,\"parameters\":{\"sprop-stereo\":1}}],\"encodings\":[{\"ssrc\":${AUDIO_SSRC}}]}}" >/dev/null
api POST "$base/${video_id}/producers" \
  "{\"kind\":\"video\",\"rtpParameters\":{\"codecs\":[{\"mimeType\":\"video/vp8\",\"payloadType\":${VIDEO_PT},\"clockRate\":90000}],\"encodings\":[{\"ssrc\":${VIDEO_SSRC}}]}}" >/dev/null

if [ -n "${MEDIA_FILE:-}" ]; then
  inputs=(-re -stream_loop -1 -i "$MEDIA_FILE")
  maps=(-map 0:a:0 -map 0:v:0)
else
  inputs=(-re -f lavfi -i "testsrc=size=${VIDEO_SIZE}:rate=${VIDEO_FPS}" -re -f lavfi -i "sine=frequency=440:sample_rate=48000")
  maps=(-map 1:a:0 -map 0:v:0)
fi

# A key frame every second: ffmpeg ignores RTCP PLI, so joining browsers wait at most that long.
echo ">>> streaming to ${audio_ip}:${audio_port} (audio) and ${video_ip}:${video_port} (video)"
ffmpeg -hide_banner -nostdin -loglevel warning \
  "${inputs[@]}" "${maps[@]}" \
  -c:a libopus -b:a 64k -ac 2 -ar 48000 \
  -c:v libvpx -pix_fmt yuv420p -b:v "$VIDEO_BITRATE" -deadline realtime -cpu-used 8 -g "$VIDEO_FPS" -keyint_min "$VIDEO_FPS" \
  -f tee \
  "[select=a:f=rtp:ssrc=${AUDIO_SSRC}:payload_type=${AUDIO_PT}]rtp://${audio_ip}:${audio_port}?rtcpport=${audio_rtcp_port}&pkt_size=1200|[select=v:f=rtp:ssrc=${VIDEO_SSRC}:payload_type=${VIDEO_PT}]rtp://${video_ip}:${video_port}?rtcpport=${video_rtcp_port}&pkt_size=1200" &
ffmpeg_pid=$!
wait "$ffmpeg_pid"
