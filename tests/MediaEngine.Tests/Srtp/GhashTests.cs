using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using MediaEngine.Srtp;

namespace MediaEngine.Tests.Srtp;

/// <summary>
/// <see cref="Ghash"/> against the GHASH values listed in the GCM specification (McGrew and Viega, test cases 2
/// and 4) and against SP 800-38D's bit-by-bit multiplication (Algorithm 1) on random input.
/// </summary>
public class GhashTests
{
    [Theory]
    [InlineData("66e94bd4ef8a2c3b884cfa59ca342b2e", "", "0388dace60b6a392f328c2b971b2fe78", "f38cbb1ad69223dcc3457ae5b6b0f885")]
    [InlineData(
        "b83b533708bf535d0aa6e52980d53b78",
        "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        """
        42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e
        21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091
        """,
        "698e57f70e6ecc7fd9463b7260a9ae5f")]
    public void Gcm_specification_values(string hashKey, string associatedData, string ciphertext, string expected)
    {
        Assert.True(Ghash.IsSupported, "This machine's CPU is expected to have PCLMULQDQ.");
        var ghash = new Ghash(Hex.Bytes(hashKey));

        var hash = Hash(ghash, Hex.Bytes(associatedData), Hex.Bytes(ciphertext), splitAt: 0);

        Assert.Equal(Hex.Bytes(expected), hash);
    }

    [Fact]
    public void Equals_the_bitwise_definition_for_every_length_and_block_aligned_split()
    {
        var random = new Random(38);
        var hashKey = new byte[16];
        for (int round = 0; round < 400; round++)
        {
            random.NextBytes(hashKey);
            var associatedData = new byte[random.Next(0, 80)];
            var ciphertext = new byte[round < 300 ? round : random.Next(300, 1600)];
            random.NextBytes(associatedData);
            random.NextBytes(ciphertext);
            int splitAt = random.Next(0, ciphertext.Length / 16 + 1) * 16;
            var ghash = new Ghash(hashKey);

            var hash = Hash(ghash, associatedData, ciphertext, splitAt);

            Assert.Equal(ReferenceGhash(hashKey, associatedData, ciphertext), hash);
        }
    }

    private static byte[] Hash(Ghash ghash, byte[] associatedData, byte[] ciphertext, int splitAt)
    {
        var state = ghash.Update(Vector128<ulong>.Zero, associatedData);
        state = ghash.Update(state, ciphertext.AsSpan(0, splitAt));
        state = ghash.Update(state, ciphertext.AsSpan(splitAt));
        var hash = new byte[16];
        ghash.Finish(state, associatedData.Length, ciphertext.Length).CopyTo(hash);
        return hash;
    }

    /// <summary>GHASH as SP 800-38D §6.4 defines it, one bit at a time.</summary>
    internal static byte[] ReferenceGhash(byte[] hashKey, byte[] associatedData, byte[] ciphertext)
    {
        var h = BinaryPrimitives.ReadUInt128BigEndian(hashKey);
        UInt128 y = 0;
        foreach (var data in new[] { associatedData, ciphertext })
        {
            for (int offset = 0; offset < data.Length; offset += 16)
            {
                var block = new byte[16];
                data.AsSpan(offset, Math.Min(16, data.Length - offset)).CopyTo(block);
                y = ReferenceMultiply(y ^ BinaryPrimitives.ReadUInt128BigEndian(block), h);
            }
        }

        var lengths = ((UInt128)(ulong)associatedData.Length * 8 << 64) | (ulong)ciphertext.Length * 8;
        y = ReferenceMultiply(y ^ lengths, h);
        var hash = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(hash, y);
        return hash;
    }

    /// <summary>SP 800-38D Algorithm 1: bit 0 is the most significant bit, R = 11100001 || 0^120.</summary>
    private static UInt128 ReferenceMultiply(UInt128 x, UInt128 y)
    {
        UInt128 z = 0;
        var v = y;
        var r = (UInt128)0xE1 << 120;
        for (int i = 0; i < 128; i++)
        {
            if (((x >> (127 - i)) & 1) != 0)
            {
                z ^= v;
            }

            v = (v & 1) == 0 ? v >> 1 : (v >> 1) ^ r;
        }

        return z;
    }
}
