using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ForwardingLoad;

/// <summary>
/// The consuming clients' sockets, read by one thread in batches (recvmmsg) once a millisecond, so that
/// reading costs little CPU next to the worker. Latency does not depend on when this thread runs: each
/// datagram carries the kernel's receive time (SO_TIMESTAMPNS), compared with the generator's send time
/// of the producer packet it was forwarded from. RTP headers are not encrypted, so nothing is decrypted.
/// Consumers start at the first (key frame) packet, so consumer sequence number k is producer packet
/// FirstSequenceNumber + k - first.
/// </summary>
internal sealed unsafe class Receivers : IDisposable
{
    private const int Batch = 64;
    private const int SlotLength = 2048;
    private const int ControlLength = 64;

    private readonly Socket[] _sockets;
    private readonly int[] _fds;
    private readonly Generator _generator;
    private readonly int?[] _firstSequenceNumber;
    private readonly Thread _thread;
    private readonly byte* _memory;
    private readonly Native.MMsgHdr* _messages;
    private readonly Native.IoVec* _iovecs;
    private volatile bool _stopping;
    private volatile bool _recording;

    /// <summary>Added latency histogram in microseconds (last bucket: ≥ its value).</summary>
    private readonly long[] _histogram = new long[1_000_001];
    private long _received;
    private long _unmatched;

    public Receivers(IReadOnlyList<Socket> sockets, Generator generator)
    {
        _sockets = sockets.ToArray();
        _generator = generator;
        _fds = _sockets.Select(s => (int)s.Handle).ToArray();
        _firstSequenceNumber = new int?[_sockets.Length];
        foreach (var socket in _sockets)
        {
            socket.SetRawSocketOption(Native.SolSocket, Native.SoTimestampNs, BitConverter.GetBytes(1));
            socket.Blocking = false;
        }
        _memory = (byte*)NativeMemory.AllocZeroed((nuint)(Batch * (SlotLength + ControlLength + sizeof(Native.MMsgHdr) + sizeof(Native.IoVec))));
        _messages = (Native.MMsgHdr*)_memory;
        _iovecs = (Native.IoVec*)(_memory + Batch * sizeof(Native.MMsgHdr));
        var data = (byte*)(_iovecs + Batch);
        for (var i = 0; i < Batch; i++)
        {
            _iovecs[i].Base = data + i * (SlotLength + ControlLength);
            _iovecs[i].Length = SlotLength;
        }
        _thread = new Thread(Run) { IsBackground = true, Name = "receivers" };
        _thread.Start();
    }

    /// <summary>Start a measurement: clears the histogram and counts.</summary>
    public void StartRecording()
    {
        _recording = false;
        Array.Clear(_histogram);
        Interlocked.Exchange(ref _received, 0);
        Interlocked.Exchange(ref _unmatched, 0);
        _recording = true;
    }

    public (long Received, long Unmatched, double P50, double P99, double Max) StopRecording()
    {
        _recording = false;
        Thread.Sleep(20); // let the thread finish its sweep
        long total = 0;
        foreach (var count in _histogram)
            total += count;
        double Percentile(double p)
        {
            if (total == 0)
                return double.NaN;
            var target = (long)Math.Ceiling(total * p);
            long seen = 0;
            for (var i = 0; i < _histogram.Length; i++)
            {
                seen += _histogram[i];
                if (seen >= target)
                    return i;
            }
            return _histogram.Length - 1;
        }
        var max = 0;
        for (var i = _histogram.Length - 1; i >= 0; i--)
        {
            if (_histogram[i] > 0)
            {
                max = i;
                break;
            }
        }
        return (Interlocked.Read(ref _received), Interlocked.Read(ref _unmatched), Percentile(0.5), Percentile(0.99), max);
    }

    private void Run()
    {
        while (!_stopping)
        {
            for (var s = 0; s < _fds.Length; s++)
            {
                int count;
                do
                {
                    for (var i = 0; i < Batch; i++)
                    {
                        ref var header = ref _messages[i].Header;
                        header = default;
                        header.Iov = _iovecs + i;
                        header.IovLength = 1;
                        header.Control = _iovecs[i].Base + SlotLength;
                        header.ControlLength = ControlLength;
                    }
                    count = Native.ReceiveBatch(_fds[s], _messages, Batch);
                    for (var i = 0; i < count; i++)
                        Handle(s, new ReadOnlySpan<byte>(_iovecs[i].Base, (int)_messages[i].Length), in _messages[i].Header);
                } while (count == Batch);
            }
            Thread.Sleep(1);
        }
    }

    private void Handle(int socketIndex, ReadOnlySpan<byte> datagram, in Native.MsgHdr header)
    {
        // RTP only: version 2 and not an RTCP packet type (RFC 5761); STUN and RTCP are skipped.
        if (datagram.Length < 12 || (datagram[0] & 0xC0) != 0x80 || datagram[1] is >= 192 and <= 223)
            return;
        var sequenceNumber = (ushort)(datagram[2] << 8 | datagram[3]);
        var first = _firstSequenceNumber[socketIndex] ??= sequenceNumber;
        var producerSequenceNumber = (ushort)(Generator.FirstSequenceNumber + (ushort)(sequenceNumber - first));
        if (!_recording)
            return;
        var received = KernelTimestamp(header);
        var sent = _generator.SendTimes[producerSequenceNumber];
        Interlocked.Increment(ref _received);
        if (received == 0 || sent == 0 || received < sent)
        {
            Interlocked.Increment(ref _unmatched);
            return;
        }
        var micros = (received - sent) / 1000;
        _histogram[Math.Min(micros, _histogram.Length - 1)]++;
    }

    private static long KernelTimestamp(in Native.MsgHdr header)
    {
        var control = (byte*)header.Control;
        var length = (int)header.ControlLength;
        var offset = 0;
        while (offset + sizeof(Native.CMsgHdr) <= length)
        {
            var cmsg = (Native.CMsgHdr*)(control + offset);
            if ((int)cmsg->Length < sizeof(Native.CMsgHdr))
                break;
            if (cmsg->Level == Native.SolSocket && cmsg->Type == Native.SoTimestampNs)
            {
                var time = (Native.Timespec*)(control + offset + sizeof(Native.CMsgHdr));
                return time->Seconds * 1_000_000_000 + time->Nanoseconds;
            }
            offset += ((int)cmsg->Length + 7) & ~7;
        }
        return 0;
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        NativeMemory.Free(_memory);
    }
}
