using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaEngine.Srtp;

/// <summary>
/// AES in counter mode as RFC 3711 §4.1.1 defines it: block j of the keystream is AES(key, IV + j).
/// Counter blocks are encrypted in batches with one ECB call, into buffers owned by the instance. The ECB
/// transform is created once: the one-shot <see cref="SymmetricAlgorithm.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/>
/// sets up a cipher, and allocates, on every call. Not thread-safe.
/// </summary>
internal sealed class AesCounterModeCipher : IDisposable
{
    public const int BlockSize = 16;
    private const int BlocksPerBatch = 128;

    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counterBlocks = new byte[BlocksPerBatch * BlockSize];
    private readonly byte[] _keystream = new byte[BlocksPerBatch * BlockSize];

    public AesCounterModeCipher(ReadOnlySpan<byte> key)
    {
        using var aes = Aes.Create();
        aes.SetKey(key);
        aes.Mode = CipherMode.ECB;
        aes.Padding = PaddingMode.None;
        _ecb = aes.CreateEncryptor();
    }

    /// <summary>XORs <paramref name="data"/> with the keystream that starts at counter block <paramref name="iv"/>.</summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        // SRTP IVs end in 16 zero bits and no packet needs 2^16 blocks, so adding the block number to the last
        // 32 bits is the whole 128-bit addition.
        uint counterBase = BinaryPrimitives.ReadUInt32BigEndian(iv[12..BlockSize]);
        uint blockNumber = 0;
        while (!data.IsEmpty)
        {
            int batchLength = Math.Min(data.Length, _keystream.Length);
            int blockCount = (batchLength + BlockSize - 1) / BlockSize;
            for (int block = 0; block < blockCount; block++, blockNumber++)
            {
                var counterBlock = _counterBlocks.AsSpan(block * BlockSize, BlockSize);
                iv[..12].CopyTo(counterBlock);
                BinaryPrimitives.WriteUInt32BigEndian(counterBlock[12..], counterBase + blockNumber);
            }

            int keystreamLength = blockCount * BlockSize;
            _ecb.TransformBlock(_counterBlocks, 0, keystreamLength, _keystream, 0);
            Keystream.Xor(data[..batchLength], _keystream.AsSpan(0, batchLength));
            data = data[batchLength..];
        }
    }

    public void Dispose() => _ecb.Dispose();
}
