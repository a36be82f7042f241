using System.Diagnostics;
using System.Net.Sockets;

namespace WebRtcLoad;

/// <summary>
/// A plain-RTP VP8 source (<see cref="Vp8Packets"/>) at a set rate, as ffmpeg feeds a broadcaster's
/// comedia transport.
/// </summary>
internal sealed class Generator : IDisposable
{
    public const uint Ssrc = 2222;
    public const string RtpParameters = """{"codecs":[{"mimeType":"video/vp8","payloadType":101,"clockRate":90000}],"encodings":[{"ssrc":2222}]}""";

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
        var buffer = new byte[Vp8Packets.PacketLength + 64];
        var payload = Vp8Packets.NewPayload();
        long packet = 0;
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
            var length = Vp8Packets.Write(buffer, payload, Ssrc, (ushort)(1 + packet), packet, _rate);
            _socket.Send(buffer.AsSpan(0, length), SocketFlags.None, out _);
            Interlocked.Increment(ref _sent);
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
