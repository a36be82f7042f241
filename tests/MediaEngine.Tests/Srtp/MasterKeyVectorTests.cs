using MediaEngine.Srtp;

namespace MediaEngine.Tests.Srtp;

/// <summary>
/// Known answers for all four profiles from a master key and salt, so key derivation (including the AEAD
/// profiles' 12-byte salt), packet layout and the first SRTCP index (1) are checked end to end. The
/// expected packets are those of pion/srtp's cipher tests, which agree with libsrtp.
/// </summary>
public class MasterKeyVectorTests
{
    private static readonly byte[] PlainRtp = Hex.Bytes("800f1234 decafbad cafebabe" + string.Concat(Enumerable.Repeat("ab", 16)));
    private static readonly byte[] PlainRtcp = Hex.Bytes("81c8000b cafebabe" + string.Concat(Enumerable.Repeat("ab", 16)));

    public static TheoryData<SrtpProfile, string> Srtp => new()
    {
        {
            SrtpProfile.AesCm128HmacSha1_80,
            "800f1234 decafbad cafebabe e2d8df8f 7a75d688 c3502eee c2a98066 cd7c0d09 ca4432a5 6e3d"
        },
        {
            SrtpProfile.AesCm128HmacSha1_32,
            "800f1234 decafbad cafebabe e2d8df8f 7a75d688 c3502eee c2a98066 cd7c0d09"
        },
        {
            SrtpProfile.AeadAes128Gcm,
            "800f1234 decafbad cafebabe c5002ede 04cfdd2e b91159e0 880aa06e d2976826 f796b201 df3131a1 27e8a392"
        },
        {
            SrtpProfile.AeadAes256Gcm,
            "800f1234 decafbad cafebabe af49968f 7e9c43f8 01dd0c84 8b1ec9b0 29cdf85c b79a2f95 60d46975 98507725"
        },
    };

    public static TheoryData<SrtpProfile, string> Srtcp => new()
    {
        {
            SrtpProfile.AesCm128HmacSha1_80,
            "81c8000b cafebabe 5674bf01 813dc062 ac1df6f7 5f77c688 80000001 3db7a198 37ff64e5 cbd2"
        },
        {
            SrtpProfile.AesCm128HmacSha1_32,
            "81c8000b cafebabe 5674bf01 813dc062 ac1df6f7 5f77c688 80000001 3db7a198 37ff64e5 cbd2"
        },
        {
            SrtpProfile.AeadAes128Gcm,
            "81c8000b cafebabe c98b8b5d f0392a55 852b6c21 ac8e7025 c52c6fbe a2b3b446 ea31123b a88ce61e 80000001"
        },
        {
            SrtpProfile.AeadAes256Gcm,
            "81c8000b cafebabe 9822ba22 961c3148 e7b7ec4f 09f426dc f6b59a75 adec74fd b951b666 8424d4e2 80000001"
        },
    };

    /// <summary>SRTCP packets sent with the E flag clear, authenticated but not encrypted.</summary>
    public static TheoryData<SrtpProfile, string> AuthenticatedOnlyRtcp => new()
    {
        { SrtpProfile.AesCm128HmacSha1_80, "00000001 d2a2362d 011b8cfc 0ac9" },
        { SrtpProfile.AesCm128HmacSha1_32, "00000001 d2a2362d 011b8cfc 0ac9" },
        { SrtpProfile.AeadAes128Gcm, "0cf63516 8f8242a2 1b12d664 ecd862e8 00000001" },
        { SrtpProfile.AeadAes256Gcm, "2255dcaf 869abb1c d01ae835 4c9411ee 00000001" },
    };

    [Theory]
    [MemberData(nameof(Srtp))]
    public void Protect_rtp(SrtpProfile profile, string srtp)
    {
        using var session = VectorSession(profile);
        var buffer = WithRoom(PlainRtp, profile.RtpOverhead);

        Assert.True(session.TryProtectRtp(buffer, PlainRtp.Length, out int protectedLength, out _));
        Assert.Equal(Hex.Bytes(srtp), buffer[..protectedLength]);
    }

    [Theory]
    [MemberData(nameof(Srtp))]
    public void Unprotect_rtp(SrtpProfile profile, string srtp)
    {
        using var session = VectorSession(profile);
        var buffer = Hex.Bytes(srtp);

        Assert.True(session.TryUnprotectRtp(buffer, buffer.Length, out int plainLength, out _));
        Assert.Equal(PlainRtp, buffer[..plainLength]);
    }

    [Theory]
    [MemberData(nameof(Srtcp))]
    public void Protect_rtcp(SrtpProfile profile, string srtcp)
    {
        using var session = VectorSession(profile);
        var buffer = WithRoom(PlainRtcp, profile.RtcpOverhead);

        Assert.True(session.TryProtectRtcp(buffer, PlainRtcp.Length, out int protectedLength, out _));
        Assert.Equal(Hex.Bytes(srtcp), buffer[..protectedLength]);
    }

    [Theory]
    [MemberData(nameof(Srtcp))]
    public void Unprotect_rtcp(SrtpProfile profile, string srtcp)
    {
        using var session = VectorSession(profile);
        var buffer = Hex.Bytes(srtcp);

        Assert.True(session.TryUnprotectRtcp(buffer, buffer.Length, out int plainLength, out _));
        Assert.Equal(PlainRtcp, buffer[..plainLength]);
    }

    [Theory]
    [MemberData(nameof(AuthenticatedOnlyRtcp))]
    public void Unprotect_rtcp_sent_without_encryption(SrtpProfile profile, string trailer)
    {
        using var session = VectorSession(profile);
        byte[] buffer = [.. PlainRtcp, .. Hex.Bytes(trailer)];

        Assert.True(session.TryUnprotectRtcp(buffer, buffer.Length, out int plainLength, out var error));
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(PlainRtcp, buffer[..plainLength]);
    }

    private static SrtpSession VectorSession(SrtpProfile profile)
    {
        var masterKey = Hex.Bytes("000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f")[..profile.KeyLength];
        var masterSalt = Hex.Bytes("a0a1a2a3a4a5a6a7a8a9aaabacad")[..profile.SaltLength];
        return new SrtpSession(profile, masterKey, masterSalt);
    }

    private static byte[] WithRoom(byte[] packet, int room)
    {
        var buffer = new byte[packet.Length + room];
        packet.CopyTo(buffer, 0);
        return buffer;
    }
}
