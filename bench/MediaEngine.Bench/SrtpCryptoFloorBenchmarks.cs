using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace MediaEngine.Bench;

/// <summary>
/// The System.Security.Cryptography calls SRTP protection is built on, alone, on the sizes a 1,200-byte RTP
/// packet needs. The AES-ECB keystream is the floor under both AES-CM and our GCM (which adds GHASH on
/// PCLMULQDQ); AesGcm is what GCM costs where the CPU lacks PCLMULQDQ, and its 16-byte case shows what a call
/// costs apart from the data it encrypts.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class SrtpCryptoFloorBenchmarks
{
    private const int HeaderLength = 12;
    private const int PacketLength = 1200;
    private const int KeystreamLength = (PacketLength - HeaderLength + 15) / 16 * 16;

    private readonly byte[] _packet = new byte[PacketLength];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _counterBlocks = new byte[KeystreamLength];
    private readonly byte[] _keystream = new byte[KeystreamLength];
    private AesGcm _aesGcm128 = null!;
    private AesGcm _aesGcm256 = null!;
    private Aes _aes = null!;
    private ICryptoTransform _aesEcb = null!;
    private IncrementalHash _hmacSha1 = null!;

    [GlobalSetup]
    public void CreatePrimitives()
    {
        _aesGcm128 = new AesGcm(new byte[16], _tag.Length);
        _aesGcm256 = new AesGcm(new byte[32], _tag.Length);
        _aes = Aes.Create();
        _aes.Key = new byte[16];
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _aesEcb = _aes.CreateEncryptor();
        _hmacSha1 = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, new byte[20]);
    }

    [GlobalCleanup]
    public void DisposePrimitives()
    {
        _aesGcm128.Dispose();
        _aesGcm256.Dispose();
        _aesEcb.Dispose();
        _aes.Dispose();
        _hmacSha1.Dispose();
    }

    [Benchmark]
    public void AesGcm128EncryptPayload() => EncryptPayload(_aesGcm128, PacketLength - HeaderLength);

    [Benchmark]
    public void AesGcm256EncryptPayload() => EncryptPayload(_aesGcm256, PacketLength - HeaderLength);

    [Benchmark]
    public void AesGcm128Encrypt16Bytes() => EncryptPayload(_aesGcm128, 16);

    [Benchmark]
    public int AesEcbKeystreamForPayload() => _aesEcb.TransformBlock(_counterBlocks, 0, _counterBlocks.Length, _keystream, 0);

    /// <summary>The one-shot ECB call sets up a cipher (key copy, key schedule) on every call; the SRTP code does not use it.</summary>
    [Benchmark]
    public int AesEncryptEcbOneShotForPayload() => _aes.EncryptEcb(_counterBlocks, _keystream, PaddingMode.None);

    [Benchmark]
    public int HmacSha1Packet()
    {
        Span<byte> mac = stackalloc byte[20];
        _hmacSha1.AppendData(_packet);
        return _hmacSha1.GetHashAndReset(mac);
    }

    private void EncryptPayload(AesGcm aesGcm, int payloadLength)
    {
        var payload = _packet.AsSpan(HeaderLength, payloadLength);
        aesGcm.Encrypt(_nonce, payload, payload, _tag, _packet.AsSpan(0, HeaderLength));
    }
}
