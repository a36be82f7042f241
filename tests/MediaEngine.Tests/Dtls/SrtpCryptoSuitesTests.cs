using MediaEngine.Dtls;
using MediaEngine.Srtp;

namespace MediaEngine.Tests.Dtls;

public class SrtpCryptoSuitesTests
{
    [Fact]
    public void PreferenceOrder_IsMediasoups() =>
        Assert.Equal(
            ["AEAD_AES_256_GCM", "AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"],
            SrtpCryptoSuites.PreferenceOrder.Select(suite => suite.ToMediasoupName()));

    [Fact]
    public void ProfileIds_AreTheIanaOnes() =>
        Assert.Equal([0x0008, 0x0007, 0x0001, 0x0002], SrtpCryptoSuites.PreferenceOrder.Select(suite => (int)suite));

    [Theory]
    [InlineData(new[] { 0x0001, 0x0002, 0x0007, 0x0008 }, SrtpCryptoSuite.AeadAes256Gcm)]
    [InlineData(new[] { 0x0002, 0x0001, 0x0007 }, SrtpCryptoSuite.AeadAes128Gcm)]
    [InlineData(new[] { 0x0002, 0x0001 }, SrtpCryptoSuite.AesCm128HmacSha1_80)]
    [InlineData(new[] { 0x0005, 0x0002 }, SrtpCryptoSuite.AesCm128HmacSha1_32)]
    public void SelectPreferred_FollowsOurPreferenceNotTheOfferOrder(int[] offered, SrtpCryptoSuite expected) =>
        Assert.Equal(expected, SrtpCryptoSuites.SelectPreferred(offered));

    [Fact]
    public void EachSuite_KeysTheSrtpProfileOfItsName() =>
        Assert.Equal(
            [SrtpProfile.AeadAes256Gcm, SrtpProfile.AeadAes128Gcm, SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AesCm128HmacSha1_32],
            SrtpCryptoSuites.PreferenceOrder.Select(suite => suite.ToSrtpProfile()));

    [Fact]
    public void SelectPreferred_WithoutCommonProfile_IsNull() =>
        Assert.Null(SrtpCryptoSuites.SelectPreferred([0x0005, 0x0006]));
}
