using System.Security.Cryptography;
using MediaEngine.Srtp;

namespace MediaEngine.Tests.Srtp;

/// <summary>
/// Both GCM implementations: the test cases of the GCM specification (McGrew and Viega, cases 1–4 and 13–16), a
/// NIST CAVP vector, a differential test against <see cref="AesGcm"/> in both directions, and forgeries.
/// </summary>
public class GcmCipherTests
{
    public static TheoryData<string> Implementations => new(ImplementationNames);

    private static string[] ImplementationNames =>
        Ghash.IsSupported ? [nameof(SystemGcmCipher), nameof(ClmulGcmCipher)] : [nameof(SystemGcmCipher)];

    /// <summary>Key, nonce, associated data, plaintext, ciphertext, tag.</summary>
    public static TheoryData<string, string, string, string, string, string, string> Vectors
    {
        get
        {
            const string key = "feffe9928665731c6d6a8f9467308308";
            const string nonce = "cafebabefacedbaddecaf888";
            const string plaintext = """
                d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
                1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255
                """;
            const string associatedData = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
            const string ciphertext128 = """
                42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e
                21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985
                """;
            const string ciphertext256 = """
                522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa
                8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad
                """;
            var cases = new (string Key, string Nonce, string AssociatedData, string Plaintext, string Ciphertext, string Tag)[]
            {
                (new string('0', 32), new string('0', 24), "", "", "", "58e2fccefa7e3061367f1d57a4e7455a"),
                (new string('0', 32), new string('0', 24), "", new string('0', 32), "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf"),
                (key, nonce, "", plaintext, ciphertext128, "4d5c2af327cd64a62cf35abd2ba6fab4"),
                (key, nonce, associatedData, Trim(plaintext, 4), Trim(ciphertext128, 4), "5bc94fbc3221a5db94fae95ae7121a47"),
                (new string('0', 64), new string('0', 24), "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"),
                (new string('0', 64), new string('0', 24), "", new string('0', 32), "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"),
                (key + key, nonce, "", plaintext, ciphertext256, "b094dac5d93471bdec1a502270e3cc6c"),
                (key + key, nonce, associatedData, Trim(plaintext, 4), Trim(ciphertext256, 4), "76fc6ece0f4e1768cddf8853bb2d551b"),
                // CAVP gcmEncryptExtIV256: 16-byte plaintext, 20-byte associated data.
                (
                    "83688deb4af8007f9b713b47cfa6c73e35ea7a3aa4ecdb414dded03bf7a0fd3a",
                    "0b459724904e010a46901cf3",
                    "794a14ccd178c8ebfd1379dc704c5e208f9d8424",
                    "33d893a2114ce06fc15d55e454cf90c3",
                    "cc66bee423e3fcd4c0865715e9586696",
                    "0fb291bd3dba94a1dfd8b286cfb97ac5"),
            };

            var data = new TheoryData<string, string, string, string, string, string, string>();
            foreach (var implementation in ImplementationNames)
            {
                foreach (var c in cases)
                {
                    data.Add(implementation, c.Key, c.Nonce, c.AssociatedData, c.Plaintext, c.Ciphertext, c.Tag);
                }
            }

            return data;
        }
    }

    [Fact]
    public void Our_ghash_is_chosen_where_the_cpu_has_pclmulqdq()
    {
        using var cipher = GcmCipher.Create(new byte[16]);
        Assert.IsType(Ghash.IsSupported ? typeof(ClmulGcmCipher) : typeof(SystemGcmCipher), cipher);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Published_vectors(
        string implementation, string key, string nonce, string associatedData, string plaintext, string ciphertext, string tag)
    {
        using var cipher = Create(implementation, Hex.Bytes(key));
        var data = Hex.Bytes(plaintext);
        var sealedTag = new byte[16];

        cipher.Seal(Hex.Bytes(nonce), data, sealedTag, Hex.Bytes(associatedData));

        Assert.Equal(Hex.Bytes(ciphertext), data);
        Assert.Equal(Hex.Bytes(tag), sealedTag);
        Assert.True(cipher.TryOpen(Hex.Bytes(nonce), data, sealedTag, Hex.Bytes(associatedData)));
        Assert.Equal(Hex.Bytes(plaintext), data);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Agrees_with_AesGcm_in_both_directions(string implementation)
    {
        var random = new Random(7714);
        // Up to 1,500 bytes as packets come, and a few beyond one 2,048-byte keystream batch.
        var lengths = Enumerable.Range(0, 600).Select(i => i < 100 ? i : random.Next(0, 1501))
            .Concat([2031, 2032, 2033, 2048, 4096 + 7, 65_000]);
        foreach (int length in lengths)
        {
            var key = new byte[random.Next(2) == 0 ? 16 : 32];
            var nonce = new byte[12];
            var associatedData = new byte[random.Next(0, 73)];
            var plaintext = new byte[length];
            random.NextBytes(key);
            random.NextBytes(nonce);
            random.NextBytes(associatedData);
            random.NextBytes(plaintext);
            using var ours = Create(implementation, key);
            using var reference = new AesGcm(key, 16);
            string context = $"key {key.Length * 8} bits, {associatedData.Length} + {length} bytes";

            var data = plaintext.ToArray();
            var tag = new byte[16];
            ours.Seal(nonce, data, tag, associatedData);
            var opened = new byte[length];
            reference.Decrypt(nonce, data, tag, opened, associatedData);
            Assert.True(plaintext.AsSpan().SequenceEqual(opened), context);

            reference.Encrypt(nonce, plaintext, data, tag, associatedData);
            Assert.True(ours.TryOpen(nonce, data, tag, associatedData), context);
            Assert.True(plaintext.AsSpan().SequenceEqual(data), context);
        }
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void A_changed_tag_associated_data_ciphertext_or_nonce_is_refused(string implementation)
    {
        var random = new Random(3);
        var key = new byte[16];
        random.NextBytes(key);
        using var cipher = Create(implementation, key);
        var nonce = new byte[12];
        var associatedData = new byte[12];
        var data = new byte[1188];
        random.NextBytes(nonce);
        random.NextBytes(associatedData);
        random.NextBytes(data);
        var tag = new byte[16];
        cipher.Seal(nonce, data, tag, associatedData);
        var ciphertext = data.ToArray();

        foreach (var field in new[] { tag, associatedData, data, nonce })
        {
            foreach (int bit in new[] { 0, 7, field.Length * 8 - 1 })
            {
                field[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.False(cipher.TryOpen(nonce, data, tag, associatedData));
                field[bit / 8] ^= (byte)(1 << (bit % 8));
                ciphertext.CopyTo(data, 0);
            }
        }

        Assert.True(cipher.TryOpen(nonce, data, tag, associatedData));
    }

    [Fact]
    public void Our_cipher_refuses_a_forgery_without_allocating_and_leaves_the_data_as_it_came()
    {
        Assert.True(Ghash.IsSupported, "This machine's CPU is expected to have PCLMULQDQ.");
        using var cipher = new ClmulGcmCipher(new byte[32]);
        var nonce = new byte[12];
        var associatedData = new byte[12];
        var data = new byte[1188];
        var tag = new byte[16];
        cipher.Seal(nonce, data, tag, associatedData);
        tag[5] ^= 0x20;
        var ciphertext = data.ToArray();
        Assert.False(cipher.TryOpen(nonce, data, tag, associatedData));

        var refused = 0;
        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                refused += cipher.TryOpen(nonce, data, tag, associatedData) ? 0 : 1;
            }
        });

        Assert.Equal(1000 * SteadyState.Windows, refused);
        Assert.Equal(ciphertext, data);
    }

    private static GcmCipher Create(string implementation, byte[] key) =>
        implementation == nameof(ClmulGcmCipher) ? new ClmulGcmCipher(key) : new SystemGcmCipher(key);

    private static string Trim(string hex, int bytes)
    {
        var compact = string.Concat(hex.Where(c => !char.IsWhiteSpace(c)));
        return compact[..^(bytes * 2)];
    }
}
