using BenchmarkDotNet.Attributes;
using MediaEngine.Dtls;

namespace MediaEngine.Bench;

/// <summary>
/// One DTLS application record (a 1,200-byte SCTP packet) between two connected transports:
/// encrypting it, and decrypting it on the calling thread as a worker does. Decrypt is fed a fresh batch
/// of records before each iteration, since the replay window refuses a record seen before.
/// <see cref="DiscardForgedRecord"/> is a record in the connection's epoch whose tag does not verify:
/// what a datagram carrying no application data costs (garbage, or an alert or handshake retransmission).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20, invocationCount: RecordsPerIteration)]
public class DtlsBenchmarks
{
    private const int RecordsPerIteration = 16384;
    private const int PayloadLength = 1200;

    private readonly byte[] _payload = new byte[PayloadLength];
    private readonly byte[][] _records = new byte[RecordsPerIteration][];
    private DtlsTransport _client = null!;
    private DtlsTransport _server = null!;
    private byte[] _forged = [];
    private int _nextRecord;
    private long _receivedBytes;

    [GlobalSetup]
    public void Connect()
    {
        var clientCertificate = DtlsCertificate.Generate();
        var serverCertificate = DtlsCertificate.Generate();
        _client = new DtlsTransport(clientCertificate);
        _server = new DtlsTransport(serverCertificate);
        _server.ApplicationDataReceived += data => _receivedBytes += data.Length;
        _server.Start(DtlsRole.Server, Sha256(clientCertificate));
        _client.Start(DtlsRole.Client, Sha256(serverCertificate));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_client.State != DtlsState.Connected || _server.State != DtlsState.Connected)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"DTLS not connected: client {_client.State}, server {_server.State}");
            Move(_client, _server);
            Move(_server, _client);
            Thread.Sleep(1);
        }

        Random.Shared.NextBytes(_payload);
        _client.Send(_payload);
        _client.TryDequeueOutgoing(out var record);
        _forged = record!;
        _forged[^1] ^= 0xFF;
    }

    [IterationSetup(Target = nameof(DecryptApplicationRecord))]
    public void EncryptNextBatch()
    {
        for (int i = 0; i < RecordsPerIteration; i++)
        {
            _client.Send(_payload);
            _client.TryDequeueOutgoing(out _records[i]!);
        }

        _nextRecord = 0;
    }

    [GlobalCleanup]
    public void Close()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Benchmark]
    public bool EncryptApplicationRecord() => _server.Send(_payload) && _server.TryDequeueOutgoing(out _);

    [Benchmark]
    public long DecryptApplicationRecord()
    {
        _server.HandleIncoming(_records[_nextRecord++]);
        return _receivedBytes;
    }

    [Benchmark]
    public long DiscardForgedRecord()
    {
        _server.HandleIncoming(_forged);
        return _receivedBytes;
    }

    private static void Move(DtlsTransport from, DtlsTransport to)
    {
        while (from.TryDequeueOutgoing(out var datagram))
            to.HandleIncoming(datagram);
    }

    private static DtlsFingerprint Sha256(DtlsCertificate certificate) =>
        certificate.Fingerprints.Single(f => f.Algorithm == DtlsFingerprintAlgorithm.Sha256);
}
