using System.Diagnostics;
using System.Net.Sockets;
using MediaEngine.Rtp.Packets;
using MediaEngine.Srtp;

namespace ForwardingLoad;

/// <summary>
/// The producing client's video: 1,200-byte VP8 RTP packets (mid and transport-wide sequence number
/// extensions, as a browser sends), 30 frames/s, a key frame every 100 frames, at a set packet rate.
/// Packets are protected and sent on this thread, paced per millisecond; each packet's send time
/// (CLOCK_REALTIME) is kept by sequence number for the receivers.
/// </summary>
internal sealed class Generator
{
    public const int PacketLength = 1200;
    public const int MidExtensionId = 1;
    public const int TransportWideCcExtensionId = 5;
    public const byte PayloadType = 96;
    public const uint Ssrc = 0x11223344;
    public const ushort FirstSequenceNumber = 1000;

    /// <summary>12 fixed bytes + a one-byte extension block (4 + mid 2 + transport-cc 3, padded to 8).</summary>
    private const int HeaderLength = 24;

    private readonly Socket _socket;
    private readonly SrtpSession _srtp;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private volatile int _rate;

    /// <summary>Send time (ns, CLOCK_REALTIME) of the packet with each sequence number.</summary>
    public long[] SendTimes { get; } = new long[65536];

    public long PacketsSent => Interlocked.Read(ref _packetsSent);
    private long _packetsSent;

    public Generator(Socket socket, SrtpSession srtp)
    {
        _socket = socket;
        _srtp = srtp;
        _thread = new Thread(Run) { IsBackground = true, Name = "generator" };
    }

    /// <summary>Packets per second; 0 pauses.</summary>
    public int Rate
    {
        get => _rate;
        set => _rate = value;
    }

    public void Start() => _thread.Start();

    public void Stop()
    {
        _stopping = true;
        _thread.Join();
    }

    private void Run()
    {
        var buffer = new byte[2048];
        var payload = new byte[PacketLength];
        Random.Shared.NextBytes(payload);
        ushort sequenceNumber = FirstSequenceNumber;
        ushort wideSequenceNumber = 0;
        uint timestamp = 90_000;
        long frame = 0;
        var packetInFrame = 0;
        Span<byte> mid = [(byte)'0'];
        Span<byte> wide = stackalloc byte[2];
        var clock = Stopwatch.StartNew();
        double due = 0;
        var lastRate = 0;
        while (!_stopping)
        {
            var rate = _rate;
            if (rate <= 0)
            {
                Thread.Sleep(1);
                continue;
            }
            if (rate != lastRate)
            {
                due = clock.Elapsed.TotalSeconds;
                lastRate = rate;
            }
            var packetsPerFrame = Math.Max(1, rate / 30);
            var now = clock.Elapsed.TotalSeconds;
            if (now - due > 0.02)
                due = now - 0.02; // after a stall of this thread, catch up at most 20 ms worth of packets
            while (due <= now && !_stopping)
            {
                var first = packetInFrame == 0;
                var last = packetInFrame == packetsPerFrame - 1;
                var writer = new RtpPacketWriter(buffer, PayloadType, last, sequenceNumber, timestamp, Ssrc);
                writer.AddExtension(MidExtensionId, mid);
                wideSequenceNumber++;
                wide[0] = (byte)(wideSequenceNumber >> 8);
                wide[1] = (byte)wideSequenceNumber;
                writer.AddExtension(TransportWideCcExtensionId, wide);
                // VP8 payload descriptor: S bit on a frame's first packet; the payload header's P bit is 0 on key frames.
                payload[0] = (byte)(first ? 0x10 : 0x00);
                payload[1] = (byte)(first && frame % 100 == 0 ? 0x00 : 0x01);
                var length = writer.Finish(payload.AsSpan(0, PacketLength - HeaderLength));
                if (_srtp.TryProtectRtp(buffer, length, out var protectedLength, out _))
                {
                    SendTimes[sequenceNumber] = Native.RealtimeNanoseconds();
                    _socket.Send(buffer.AsSpan(0, protectedLength), SocketFlags.None, out _);
                    Interlocked.Increment(ref _packetsSent);
                }
                sequenceNumber++;
                if (last)
                {
                    packetInFrame = 0;
                    frame++;
                    timestamp += 3000;
                }
                else
                {
                    packetInFrame++;
                }
                due += 1.0 / rate;
                now = clock.Elapsed.TotalSeconds;
            }
            Thread.Sleep(1);
        }
    }
}
