using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaEngine.Srtp;

namespace MediaEngine.Bench;

/// <summary>
/// Protecting and unprotecting one 1,200-byte RTP packet in place. Every invocation handles a new sequence
/// number, as a live stream does: unprotect is fed a fresh batch of SRTP packets before each iteration, since
/// the replay window would refuse a packet seen before. A batch stays under 32,768 packets: an iteration that
/// uses only part of one (BenchmarkDotNet's first runs do) must not leave the receiver further behind than
/// roll-over counter estimation can bridge.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 30, invocationCount: PacketsPerIteration)]
public class SrtpBenchmarks
{
    private const int PacketsPerIteration = 16384;
    private const int PacketLength = 1200;
    private const uint Ssrc = 0x5EED_0001;

    private readonly byte[][] _protectedPackets = new byte[PacketsPerIteration][];
    private readonly byte[] _plainPacket = new byte[PacketLength];
    private readonly byte[] _protectBuffer = new byte[PacketLength + 16];
    private readonly byte[] _forgedPacket = new byte[PacketLength + 16];
    private SrtpSession _sender = null!;
    private SrtpSession _feeder = null!;
    private SrtpSession _receiver = null!;
    private SrtpSession _victim = null!;
    private ushort _sequenceNumber;
    private ushort _feederSequenceNumber;
    private int _nextProtected;
    private int _protectedLength;

    [Params(SrtpProfile.AeadAes256Gcm, SrtpProfile.AeadAes128Gcm, SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AesCm128HmacSha1_32)]
    public SrtpProfile Profile { get; set; }

    [GlobalSetup]
    public void CreateSessions()
    {
        var masterKey = Enumerable.Range(1, Profile.KeyLength).Select(i => (byte)i).ToArray();
        var masterSalt = Enumerable.Range(101, Profile.SaltLength).Select(i => (byte)i).ToArray();
        _sender = new SrtpSession(Profile, masterKey, masterSalt);
        _feeder = new SrtpSession(Profile, masterKey, masterSalt);
        _receiver = new SrtpSession(Profile, masterKey, masterSalt);
        _victim = new SrtpSession(Profile, masterKey, masterSalt);
        _protectedLength = PacketLength + Profile.RtpOverhead;

        _plainPacket[0] = 0x80;
        _plainPacket[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(_plainPacket.AsSpan(8), Ssrc);
        Random.Shared.NextBytes(_plainPacket.AsSpan(12));
        _plainPacket.CopyTo(_protectBuffer, 0);
        _plainPacket.CopyTo(_forgedPacket, 0);
        for (int i = 0; i < PacketsPerIteration; i++)
        {
            _protectedPackets[i] = new byte[PacketLength + 16];
        }
    }

    [IterationSetup(Target = nameof(UnprotectRtp))]
    public void ProtectNextBatch()
    {
        foreach (var packet in _protectedPackets)
        {
            _plainPacket.CopyTo(packet, 0);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), _feederSequenceNumber++);
            _feeder.TryProtectRtp(packet, PacketLength, out _, out _);
        }

        _nextProtected = 0;
    }

    [GlobalCleanup]
    public void DisposeSessions()
    {
        _sender.Dispose();
        _feeder.Dispose();
        _receiver.Dispose();
        _victim.Dispose();
    }

    [Benchmark]
    public bool ProtectRtp()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_protectBuffer.AsSpan(2), _sequenceNumber++);
        return _sender.TryProtectRtp(_protectBuffer, PacketLength, out _, out _);
    }

    [Benchmark]
    public bool UnprotectRtp()
    {
        var packet = _protectedPackets[_nextProtected++];
        return _receiver.TryUnprotectRtp(packet, _protectedLength, out _, out _);
    }

    /// <summary>
    /// What a packet with a wrong tag costs. The tag is checked before anything is decrypted, so the same
    /// packet can be refused again and again; with AesGcm (the fallback without PCLMULQDQ) this meant an exception.
    /// </summary>
    [Benchmark]
    public bool RejectForgedRtp() => _victim.TryUnprotectRtp(_forgedPacket, _protectedLength, out _, out _);
}
