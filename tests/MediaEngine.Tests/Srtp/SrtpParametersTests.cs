using MediaEngine.Srtp;

namespace MediaEngine.Tests.Srtp;

public sealed class SrtpParametersTests
{
    [Theory]
    [InlineData("AES_CM_128_HMAC_SHA1_80", 30)]
    [InlineData("AES_CM_128_HMAC_SHA1_32", 30)]
    [InlineData("AEAD_AES_128_GCM", 28)]
    [InlineData("AEAD_AES_256_GCM", 44)]
    public void Parses_key_and_salt_of_each_suite(string suite, int length)
    {
        var keyAndSalt = Enumerable.Range(1, length).Select(i => (byte)i).ToArray();
        var parsed = SrtpParameters.Parse(suite, Convert.ToBase64String(keyAndSalt));

        Assert.Equal(suite, parsed.CryptoSuite);
        Assert.Equal(keyAndSalt[..parsed.Profile.KeyLength], parsed.MasterKey);
        Assert.Equal(keyAndSalt[parsed.Profile.KeyLength..], parsed.MasterSalt);
        Assert.Equal(Convert.ToBase64String(keyAndSalt), parsed.KeyBase64);
    }

    [Fact]
    public void Parses_the_key_of_mediasoups_documentation_example()
    {
        // mediasoup's PlainTransport docs: AES_CM_128_HMAC_SHA1_80 with a 40-character base64 key (30 bytes).
        var parsed = SrtpParameters.Parse("AES_CM_128_HMAC_SHA1_80", "ZnQ3eWJraDg0d3ZoYzM5cXN1Y2pnaHU5NWxrZTVv");

        Assert.Equal(16, parsed.MasterKey.Length);
        Assert.Equal(14, parsed.MasterSalt.Length);
        Assert.Equal("ft7ybkh84wvhc39q"u8.ToArray(), parsed.MasterKey);
    }

    [Theory]
    [InlineData(null, "AAAA", "missing srtpParameters.cryptoSuite")]
    [InlineData("AES_CM_128_HMAC_SHA1_81", "AAAA", "unsupported")]
    [InlineData("aes_cm_128_hmac_sha1_80", "AAAA", "unsupported")]
    [InlineData("AEAD_AES_128_GCM", null, "missing srtpParameters.keyBase64")]
    [InlineData("AEAD_AES_128_GCM", "not base64!", "not base64")]
    [InlineData("AEAD_AES_256_GCM", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "needs 44")]
    [InlineData("AES_CM_128_HMAC_SHA1_80", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "needs 30")]
    public void Rejects_bad_parameters_with_a_message(string? suite, string? key, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => SrtpParameters.Parse(suite, key));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [MemberData(nameof(TestPackets.Profiles), MemberType = typeof(TestPackets))]
    public void Generated_keys_round_trip_through_base64_and_protect_for_the_other_side(SrtpProfile profile)
    {
        var local = SrtpParameters.Generate(profile);
        var remoteView = SrtpParameters.Parse(local.CryptoSuite, local.KeyBase64);
        var packet = TestPackets.Rtp(0x1234, 7);
        var clear = packet[..(12 + 160)];

        using var sender = local.CreateSession();
        using var receiver = remoteView.CreateSession();
        Assert.True(sender.TryProtectRtp(packet, clear.Length, out var protectedLength, out _));
        Assert.True(receiver.TryUnprotectRtp(packet, protectedLength, out var length, out _));
        Assert.Equal(clear, packet[..length]);
        Assert.NotEqual(local.KeyBase64, SrtpParameters.Generate(profile).KeyBase64);
    }
}
