using MediaEngine.Srtp;

namespace MediaEngine.Tests.Srtp;

/// <summary>
/// The test vectors of RFC 7714 §16 (SRTP) and §17 (SRTCP). They are given under session keys, not master keys,
/// and the same key and salt serve SRTP and SRTCP.
/// </summary>
public class Rfc7714VectorTests
{
    private static readonly byte[] Key256 = Hex.Bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static readonly byte[] Key128 = Key256[..16];
    private static readonly byte[] Salt = Hex.Bytes("517569642070726f2071756f");

    private static readonly byte[] PlainRtp = Hex.Bytes("""
        8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973
        20646976 69736120 696e2070 61727465 73207472 6573
        """);

    private static readonly byte[] PlainRtcp = Hex.Bytes("""
        81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930
        4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef
        """);

    public static TheoryData<SrtpProfile, string> ProtectedRtp => new()
    {
        {
            SrtpProfile.AeadAes128Gcm,
            """
            8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca
            be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1
            6a9152cf 765ee439 0cce
            """
        },
        {
            SrtpProfile.AeadAes256Gcm,
            """
            8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa
            b1801238 9a58e2f3 b50b2a02 76ffae0f 1ba63799 b87b7aa3 db36dfff
            d6b0f9bb 7878d7a7 6c13
            """
        },
    };

    /// <summary>Encrypted with SRTCP index 0x5d4.</summary>
    public static TheoryData<SrtpProfile, string> ProtectedRtcp => new()
    {
        {
            SrtpProfile.AeadAes128Gcm,
            """
            81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7
            6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458
            96cf4d2f c5abf872 45d9eade 800005d4
            """
        },
        {
            SrtpProfile.AeadAes256Gcm,
            """
            81c8000d 4d617273 d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d
            bffe0a50 a2eaa5c1 110555be 8415f658 c61de047 6f1b6fad 1d1eb30c
            4446839f 57ff6f6c b26ac3be 800005d4
            """
        },
    };

    [Theory]
    [MemberData(nameof(ProtectedRtp))]
    public void Srtp_encryption(SrtpProfile profile, string expected)
    {
        using var session = VectorSession(profile);
        var buffer = WithRoom(PlainRtp, 16);

        Assert.True(session.TryProtectRtp(buffer, PlainRtp.Length, out int protectedLength, out var error));

        Assert.Equal(SrtpError.None, error);
        Assert.Equal(Hex.Bytes(expected), buffer[..protectedLength]);
    }

    [Theory]
    [MemberData(nameof(ProtectedRtp))]
    public void Srtp_decryption(SrtpProfile profile, string protectedPacket)
    {
        using var session = VectorSession(profile);
        var buffer = Hex.Bytes(protectedPacket);

        Assert.True(session.TryUnprotectRtp(buffer, buffer.Length, out int plainLength, out var error));

        Assert.Equal(SrtpError.None, error);
        Assert.Equal(PlainRtp, buffer[..plainLength]);
    }

    [Theory]
    [MemberData(nameof(ProtectedRtcp))]
    public void Srtcp_encryption(SrtpProfile profile, string expected)
    {
        using var session = VectorSession(profile);
        // The vector uses SRTCP index 0x5d4; a stream's packets are numbered from 1.
        for (int index = 1; index < 0x5d4; index++)
        {
            var earlier = WithRoom(PlainRtcp, 20);
            Assert.True(session.TryProtectRtcp(earlier, PlainRtcp.Length, out _, out _));
        }

        var buffer = WithRoom(PlainRtcp, 20);
        Assert.True(session.TryProtectRtcp(buffer, PlainRtcp.Length, out int protectedLength, out var error));

        Assert.Equal(SrtpError.None, error);
        Assert.Equal(Hex.Bytes(expected), buffer[..protectedLength]);
    }

    [Theory]
    [MemberData(nameof(ProtectedRtcp))]
    public void Srtcp_decryption(SrtpProfile profile, string protectedPacket)
    {
        using var session = VectorSession(profile);
        var buffer = Hex.Bytes(protectedPacket);

        Assert.True(session.TryUnprotectRtcp(buffer, buffer.Length, out int plainLength, out var error));

        Assert.Equal(SrtpError.None, error);
        Assert.Equal(PlainRtcp, buffer[..plainLength]);
    }

    [Fact]
    public void Srtcp_authentication_only_with_the_e_flag_clear()
    {
        using var session = VectorSession(SrtpProfile.AeadAes128Gcm);
        var buffer = Hex.Bytes("""
            81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930
            4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef
            841dd968 3dd78ec9 2ae58790 125f62b3 000005d4
            """);

        Assert.True(session.TryUnprotectRtcp(buffer, buffer.Length, out int plainLength, out var error));

        Assert.Equal(SrtpError.None, error);
        Assert.Equal(PlainRtcp, buffer[..plainLength]);
    }

    [Theory]
    [MemberData(nameof(ProtectedRtp))]
    public void Srtp_with_a_flipped_header_bit_fails_authentication(SrtpProfile profile, string protectedPacket)
    {
        using var session = VectorSession(profile);
        var buffer = Hex.Bytes(protectedPacket);
        buffer[1] ^= 0x01;

        Assert.False(session.TryUnprotectRtp(buffer, buffer.Length, out _, out var error));
        Assert.Equal(SrtpError.AuthenticationFailed, error);
    }

    private static SrtpSession VectorSession(SrtpProfile profile)
    {
        var key = profile == SrtpProfile.AeadAes256Gcm ? Key256 : Key128;
        return new SrtpSession(new SrtpSessionKeys(profile, key, Salt, [], key, Salt, []));
    }

    private static byte[] WithRoom(byte[] packet, int room)
    {
        var buffer = new byte[packet.Length + room];
        packet.CopyTo(buffer, 0);
        return buffer;
    }
}
