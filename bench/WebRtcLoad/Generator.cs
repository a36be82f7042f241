using System.Diagnostics;
using System.Net.Sockets;
using MediaEngine.Rtp.Packets;

namespace WebRtcLoad;

/// <summary>
/// A plain-RTP VP8 source, as ffmpeg feeds a broadcaster's comedia transport: 1,000-byte packets at a
/// set rate, three per frame, a key frame every second so that new consumers start at once.
/// </summary>
internal sealed class Generator : IDisposable
{
    public const byte PayloadType = 101;
    public const uint Ssrc = 2222;
    public const string RtpParameters = """{"codecs":[{"mimeType":"video/vp8","payloadType":101,"clockRate":90000}],"encodings":[{"ssrc":2222}]}""";

    private const int PacketLength = 1000;
    private const int PacketsPerFrame = 3;

    private readonly Socket _socket;
    private readonly int _rate;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _sent;

    public Generator(Socket socket, int packetsPerSecond)
    {
        _socket = socket;
        _rate = packetsPerSecond;
        _thread = new Thread(Run) { IsBackground = true, Name = "generator" };
        _thread.Start();
    }

    public long PacketsSent => Interlocked.Read(ref _sent);

    private void Run()
    {
        var buffer = new byte[PacketLength + 64];
        var payload = new byte[PacketLength - 12];
        Random.Shared.NextBytes(payload);
        ushort sequenceNumber = 1;
        uint timestamp = 0;
        long packet = 0;
        var framesPerSecond = Math.Max(1, _rate / PacketsPerFrame);
        var clock = Stopwatch.StartNew();
        while (!_stopping)
        {
            var due = packet / (double)_rate;
            var wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0)
            {
                Thread.Sleep(TimeSpan.FromSeconds(Math.Min(wait, 0.01)));
                continue;
            }
            var inFrame = (int)(packet % PacketsPerFrame);
            var frame = packet / PacketsPerFrame;
            var writer = new RtpPacketWriter(buffer, PayloadType, inFrame == PacketsPerFrame - 1, sequenceNumber++, timestamp, Ssrc);
            // VP8 payload descriptor: S bit on a frame's first packet; the payload header's P bit is 0 on key frames.
            payload[0] = (byte)(inFrame == 0 ? 0x10 : 0x00);
            payload[1] = (byte)(inFrame == 0 && frame % framesPerSecond == 0 ? 0x00 : 0x01);
            var length = writer.Finish(payload);
            _socket.Send(buffer.AsSpan(0, length), SocketFlags.None, out _);
            Interlocked.Increment(ref _sent);
            if (inFrame == PacketsPerFrame - 1)
                timestamp += (uint)(90_000 / framesPerSecond);
            packet++;
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        _socket.Dispose();
    }
}
