using BenchmarkDotNet.Attributes;
using MediaEngine.Sctp;

namespace MediaEngine.Bench;

/// <summary>
/// Reliable ordered transfer of 4 MiB between two connected SctpAssociations in process, per
/// message size: fragmentation, CRC32c both ways, SACKs, reassembly and delivery, without DTLS.
/// Packets move at once; the simulated clock only jumps to the next timer when nothing moves.
/// MB/s = 4 MiB / mean time.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SctpThroughputBenchmarks
{
    private const int TransferBytes = 4 * 1024 * 1024;

    private readonly byte[] _packet = new byte[1200];
    private SctpAssociation _client = null!;
    private SctpAssociation _server = null!;
    private byte[] _message = null!;
    private TimeSpan _now = TimeSpan.FromSeconds(1);

    [Params(1024, 16 * 1024, 64 * 1024)]
    public int MessageSize { get; set; }

    [GlobalSetup]
    public void Connect()
    {
        _client = new SctpAssociation();
        _server = new SctpAssociation();
        _message = new byte[MessageSize];
        Random.Shared.NextBytes(_message);
        _client.Connect(_now);
        while (_client.State != SctpState.Connected || _server.State != SctpState.Connected)
        {
            Shuttle();
        }

        while (_client.TryDequeueEvent(out _) || _server.TryDequeueEvent(out _))
        {
        }
    }

    [Benchmark]
    public long TransferFourMebibytes()
    {
        int messages = TransferBytes / MessageSize;
        int sent = 0;
        int received = 0;
        long receivedBytes = 0;
        while (received < messages)
        {
            while (sent < messages && _client.SendMessage(1, 53, _message, ordered: true, null, null, _now) == SctpSendStatus.Queued)
            {
                sent++;
            }

            bool moved = Shuttle();
            while (_server.TryDequeueEvent(out var sctpEvent))
            {
                if (sctpEvent.Kind == SctpEventKind.MessageReceived)
                {
                    received++;
                    receivedBytes += sctpEvent.Payload!.Length;
                }
            }

            while (_client.TryDequeueEvent(out _))
            {
            }

            if (!moved && received < messages)
            {
                AdvanceToNextTimer();
            }
        }

        return receivedBytes;
    }

    private bool Shuttle()
    {
        bool moved = false;
        while (_client.TryDequeueOutgoing(_packet, out int length))
        {
            _server.HandleIncoming(_packet.AsSpan(0, length), _now);
            moved = true;
        }

        while (_server.TryDequeueOutgoing(_packet, out int length))
        {
            _client.HandleIncoming(_packet.AsSpan(0, length), _now);
            moved = true;
        }

        return moved;
    }

    private void AdvanceToNextTimer()
    {
        var next = Min(_client.NextTimeout, _server.NextTimeout) ?? _now;
        _now = next > _now ? next : _now;
        _client.HandleTimeout(_now);
        _server.HandleTimeout(_now);
    }

    private static TimeSpan? Min(TimeSpan? first, TimeSpan? second) => first is null ? second : second is null ? first : first < second ? first : second;
}
