using MediaEngine.Srtp;

namespace MediaEngine.Tests.Srtp;

public class SrtpProfileTests
{
    [Theory]
    [InlineData(SrtpProfile.AeadAes256Gcm, 32, 12, 0, 16, 16)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 16, 12, 0, 16, 16)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, 16, 14, 20, 10, 10)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_32, 16, 14, 20, 4, 10)]
    public void Lengths_follow_rfc_3711_5764_and_7714(
        SrtpProfile profile, int keyLength, int saltLength, int authenticationKeyLength, int rtpTag, int rtcpTag)
    {
        Assert.Equal(keyLength, profile.KeyLength);
        Assert.Equal(saltLength, profile.SaltLength);
        Assert.Equal(authenticationKeyLength, profile.AuthenticationKeyLength);
        Assert.Equal(rtpTag, profile.RtpAuthTagLength);
        Assert.Equal(rtcpTag, profile.RtcpAuthTagLength);
        Assert.Equal(rtpTag, profile.RtpOverhead);
        Assert.Equal(rtcpTag + 4, profile.RtcpOverhead);
    }

    [Theory]
    [InlineData(SrtpProfile.AeadAes256Gcm, "AEAD_AES_256_GCM", 0x0008)]
    [InlineData(SrtpProfile.AeadAes128Gcm, "AEAD_AES_128_GCM", 0x0007)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, "AES_CM_128_HMAC_SHA1_80", 0x0001)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_32, "AES_CM_128_HMAC_SHA1_32", 0x0002)]
    public void Mediasoup_names_and_use_srtp_ids_map_both_ways(SrtpProfile profile, string name, ushort useSrtpId)
    {
        Assert.Equal(name, profile.MediasoupName);
        Assert.True(SrtpProfile.TryParseMediasoupName(name, out var parsed));
        Assert.Equal(profile, parsed);

        Assert.Equal(useSrtpId, profile.UseSrtpId);
        Assert.True(SrtpProfile.TryFromUseSrtpId(useSrtpId, out var fromId));
        Assert.Equal(profile, fromId);
    }

    [Theory]
    [InlineData("aes_cm_128_hmac_sha1_80")]
    [InlineData("AES_CM_128_HMAC_SHA1")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_names_do_not_parse(string? name) =>
        Assert.False(SrtpProfile.TryParseMediasoupName(name, out _));

    [Fact]
    public void Unsupported_use_srtp_ids_do_not_map()
    {
        Assert.False(SrtpProfile.TryFromUseSrtpId(0x0005, out _));
        Assert.False(SrtpProfile.TryFromUseSrtpId(0x0000, out _));
    }

    [Fact]
    public void Only_the_gcm_profiles_are_aead()
    {
        Assert.True(SrtpProfile.AeadAes256Gcm.IsAead);
        Assert.True(SrtpProfile.AeadAes128Gcm.IsAead);
        Assert.False(SrtpProfile.AesCm128HmacSha1_80.IsAead);
        Assert.False(SrtpProfile.AesCm128HmacSha1_32.IsAead);
    }
}
