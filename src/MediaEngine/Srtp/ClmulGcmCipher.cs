using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace MediaEngine.Srtp;

/// <summary>
/// AES-GCM from two parts: the AES block cipher of System.Security.Cryptography, run in ECB mode over the counter
/// blocks J0, inc32(J0), … (one call per packet, key schedule once per key), and our <see cref="Ghash"/>.
/// <see cref="AesGcm"/> spends most of a 1,200-byte packet on the fixed cost of its OpenSSL calls; one ECB call
/// over the whole keystream costs about a quarter of it. A wrong tag is found before anything is decrypted and
/// is reported, not thrown; the data is then left as it came. Not thread-safe.
/// </summary>
internal sealed class ClmulGcmCipher : GcmCipher
{
    private const int BlockSize = Ghash.BlockSize;
    private const int BlocksPerBatch = 128;

    private readonly ICryptoTransform _ecb;
    private readonly Ghash _ghash;
    private readonly byte[] _counterBlocks = new byte[BlocksPerBatch * BlockSize];
    private readonly byte[] _keystream = new byte[BlocksPerBatch * BlockSize];

    public ClmulGcmCipher(ReadOnlySpan<byte> key)
    {
        using var aes = Aes.Create();
        aes.SetKey(key);
        aes.Mode = CipherMode.ECB;
        aes.Padding = PaddingMode.None;
        _ecb = aes.CreateEncryptor();

        // H = AES(K, 0^128); the counter blocks are still zero.
        _ecb.TransformBlock(_counterBlocks, 0, BlockSize, _keystream, 0);
        _ghash = new Ghash(_keystream.AsSpan(0, BlockSize));
        CryptographicOperations.ZeroMemory(_keystream);
    }

    public override void Seal(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        CheckLengths(nonce, tag.Length);
        var counterBlock = PreCounterBlock(nonce);
        uint counter = 1;
        int blocks = EncryptCounterBlocks(counterBlock, ref counter, 1 + BlockCount(data.Length));
        var tagMask = Vector128.Create<byte>(_keystream.AsSpan(0, BlockSize));
        var keystream = _keystream.AsSpan(BlockSize, (blocks - 1) * BlockSize);

        var state = _ghash.Update(Vector128<ulong>.Zero, associatedData);
        var rest = data;
        while (true)
        {
            var chunk = rest[..Math.Min(rest.Length, keystream.Length)];
            Keystream.Xor(chunk, keystream);
            state = _ghash.Update(state, chunk);
            rest = rest[chunk.Length..];
            if (rest.IsEmpty)
            {
                break;
            }

            blocks = EncryptCounterBlocks(counterBlock, ref counter, BlockCount(rest.Length));
            keystream = _keystream.AsSpan(0, blocks * BlockSize);
        }

        (_ghash.Finish(state, associatedData.Length, data.Length) ^ tagMask).CopyTo(tag);
    }

    public override bool TryOpen(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        CheckLengths(nonce, tag.Length);
        var counterBlock = PreCounterBlock(nonce);
        uint counter = 1;
        int blocks = EncryptCounterBlocks(counterBlock, ref counter, 1 + BlockCount(data.Length));

        var state = _ghash.Update(Vector128<ulong>.Zero, associatedData);
        state = _ghash.Update(state, data);
        Span<byte> expectedTag = stackalloc byte[TagLength];
        var tagMask = Vector128.Create<byte>(_keystream.AsSpan(0, BlockSize));
        (_ghash.Finish(state, associatedData.Length, data.Length) ^ tagMask).CopyTo(expectedTag);
        if (!CryptographicOperations.FixedTimeEquals(expectedTag, tag))
        {
            return false;
        }

        var keystream = _keystream.AsSpan(BlockSize, (blocks - 1) * BlockSize);
        var rest = data;
        while (true)
        {
            var chunk = rest[..Math.Min(rest.Length, keystream.Length)];
            Keystream.Xor(chunk, keystream);
            rest = rest[chunk.Length..];
            if (rest.IsEmpty)
            {
                return true;
            }

            blocks = EncryptCounterBlocks(counterBlock, ref counter, BlockCount(rest.Length));
            keystream = _keystream.AsSpan(0, blocks * BlockSize);
        }
    }

    public override void Dispose()
    {
        _ecb.Dispose();
        _ghash.Clear();
        CryptographicOperations.ZeroMemory(_keystream);
    }

    private static int BlockCount(int length) => (length + BlockSize - 1) / BlockSize;

    private static void CheckLengths(ReadOnlySpan<byte> nonce, int tagLength)
    {
        if (nonce.Length != NonceLength || tagLength != TagLength)
        {
            throw new ArgumentException($"GCM here takes a {NonceLength}-byte nonce and a {TagLength}-byte tag.");
        }
    }

    /// <summary>The nonce followed by a zero 32-bit counter; SP 800-38D's J0 is this with the counter at 1.</summary>
    private static Vector128<uint> PreCounterBlock(ReadOnlySpan<byte> nonce)
    {
        Span<byte> block = stackalloc byte[BlockSize];
        nonce.CopyTo(block);
        BinaryPrimitives.WriteUInt32BigEndian(block[NonceLength..], 0);
        return Vector128.Create<byte>(block).AsUInt32();
    }

    /// <summary>
    /// Encrypts up to one batch of the <paramref name="wanted"/> counter blocks starting at
    /// <paramref name="counter"/> (incremented modulo 2^32, as inc32 does) into the keystream buffer.
    /// </summary>
    /// <returns>How many blocks were encrypted.</returns>
    private int EncryptCounterBlocks(Vector128<uint> preCounterBlock, ref uint counter, int wanted)
    {
        int blocks = Math.Min(wanted, BlocksPerBatch);
        ref byte destination = ref MemoryMarshal.GetArrayDataReference(_counterBlocks);
        for (int i = 0; i < blocks; i++, counter++)
        {
            preCounterBlock.WithElement(3, BinaryPrimitives.ReverseEndianness(counter))
                .AsByte()
                .StoreUnsafe(ref destination, (nuint)(i * BlockSize));
        }

        _ecb.TransformBlock(_counterBlocks, 0, blocks * BlockSize, _keystream, 0);
        return blocks;
    }
}
