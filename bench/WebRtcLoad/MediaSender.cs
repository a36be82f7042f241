using System.Diagnostics;
using MediaEngine.Rtp.Packets;

namespace WebRtcLoad;

/// <summary>
/// The producing side of every meeting peer, on one thread: per sending transport an Opus stream
/// (50 packets/s, 160 bytes) and a VP8 stream (100 packets/s, 1,000 bytes, three per frame, a key
/// frame a second), protected with the transport's SRTP keys and sent as a browser would.
/// </summary>
internal sealed class MediaSender : IDisposable
{
    public const byte OpusPayloadType = 100;
    public const byte Vp8PayloadType = 101;
    public const int AudioPacketsPerSecond = 50;
    public const int VideoPacketsPerSecond = 100;

    private const int AudioPayloadLength = 160;
    private const int VideoPayloadLength = 1000;
    private const int VideoPacketsPerFrame = 3;

    private sealed class Stream(ClientTransport transport, uint ssrc, bool video)
    {
        public ClientTransport Transport { get; } = transport;
        public uint Ssrc { get; } = ssrc;
        public bool Video { get; } = video;
        public ushort SequenceNumber { get; set; } = 1;
        public long Sent { get; set; }
    }

    private readonly Lock _gate = new();
    private readonly List<Stream> _streams = [];
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _sent;

    public MediaSender()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "media sender" };
        _thread.Start();
    }

    public long PacketsSent => Interlocked.Read(ref _sent);

    /// <summary>Starts sending an audio and a video stream with these SSRCs over the transport.</summary>
    public void Add(ClientTransport transport, uint audioSsrc, uint videoSsrc)
    {
        lock (_gate)
        {
            _streams.Add(new Stream(transport, audioSsrc, video: false));
            _streams.Add(new Stream(transport, videoSsrc, video: true));
        }
    }

    private void Run()
    {
        var buffer = new byte[VideoPayloadLength + 64];
        var payload = new byte[VideoPayloadLength];
        Random.Shared.NextBytes(payload);
        var clock = Stopwatch.StartNew();
        long tick = 0;
        while (!_stopping)
        {
            // 10 ms ticks: an audio packet every other tick, a video packet every tick.
            var due = tick * 0.01;
            var wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0)
            {
                Thread.Sleep(TimeSpan.FromSeconds(wait));
                continue;
            }
            Stream[] streams;
            lock (_gate)
                streams = [.. _streams];
            foreach (var stream in streams)
            {
                if (!stream.Video && tick % 2 != 0)
                    continue;
                var length = stream.Video ? WriteVideo(stream, buffer, payload) : WriteAudio(stream, buffer, payload);
                stream.Transport.SendRtp(buffer, length);
                stream.Sent++;
                Interlocked.Increment(ref _sent);
            }
            tick++;
        }
    }

    private static int WriteAudio(Stream stream, byte[] buffer, byte[] payload)
    {
        var writer = new RtpPacketWriter(buffer, OpusPayloadType, false, stream.SequenceNumber++, (uint)(stream.Sent * 960), stream.Ssrc);
        return writer.Finish(payload.AsSpan(0, AudioPayloadLength));
    }

    private static int WriteVideo(Stream stream, byte[] buffer, byte[] payload)
    {
        var inFrame = (int)(stream.Sent % VideoPacketsPerFrame);
        var frame = stream.Sent / VideoPacketsPerFrame;
        var framesPerSecond = VideoPacketsPerSecond / VideoPacketsPerFrame;
        var writer = new RtpPacketWriter(buffer, Vp8PayloadType, inFrame == VideoPacketsPerFrame - 1, stream.SequenceNumber++,
            (uint)(frame * 90_000 / framesPerSecond), stream.Ssrc);
        // VP8 payload descriptor: S bit on a frame's first packet; the payload header's P bit is 0 on key frames.
        payload[0] = (byte)(inFrame == 0 ? 0x10 : 0x00);
        payload[1] = (byte)(inFrame == 0 && frame % framesPerSecond == 0 ? 0x00 : 0x01);
        return writer.Finish(payload.AsSpan(0, VideoPayloadLength - 12));
    }

    /// <summary>Stops sending; idempotent.</summary>
    public void Dispose()
    {
        _stopping = true;
        if (_thread != Thread.CurrentThread)
            _thread.Join();
    }
}
