using System.Diagnostics;
using MediaEngine.Rtp.Packets;

namespace WebRtcLoad;

/// <summary>
/// The producing side of every meeting peer, on one thread: per sending transport an Opus stream
/// (50 packets/s, 160 bytes) and a VP8 stream (<see cref="Vp8Packets"/>, 100 packets/s), protected
/// with the transport's SRTP keys and sent as a browser would.
/// </summary>
internal sealed class MediaSender : IDisposable
{
    public const byte OpusPayloadType = 100;
    public const int AudioPacketsPerSecond = 50;
    public const int VideoPacketsPerSecond = 100;

    private const int AudioPayloadLength = 160;

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
        var buffer = new byte[Vp8Packets.PacketLength + 64];
        var payload = Vp8Packets.NewPayload();
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

    private static int WriteVideo(Stream stream, byte[] buffer, byte[] payload) =>
        Vp8Packets.Write(buffer, payload, stream.Ssrc, stream.SequenceNumber++, stream.Sent, VideoPacketsPerSecond);

    /// <summary>Stops sending; idempotent.</summary>
    public void Dispose()
    {
        _stopping = true;
        if (_thread != Thread.CurrentThread)
            _thread.Join();
    }
}
