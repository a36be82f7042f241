using MediaEngine.Srtp;

namespace MediaEngine.Tests.Srtp;

/// <summary>The test vectors of RFC 3711 Appendix B.2 (AES-CM keystream) and B.3 (key derivation).</summary>
public class Rfc3711VectorTests
{
    private static readonly byte[] MasterKey = Hex.Bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterSalt = Hex.Bytes("0EC675AD498AFEEBB6960B3AABE6");

    [Fact]
    public void B3_cipher_key()
    {
        var cipherKey = new byte[16];
        SrtpKeyDerivation.Derive(MasterKey, MasterSalt, SrtpKeyLabel.RtpEncryption, cipherKey);
        Assert.Equal(Hex.Bytes("C61E7A93744F39EE10734AFE3FF7A087"), cipherKey);
    }

    [Fact]
    public void B3_cipher_salt()
    {
        var cipherSalt = new byte[14];
        SrtpKeyDerivation.Derive(MasterKey, MasterSalt, SrtpKeyLabel.RtpSalt, cipherSalt);
        Assert.Equal(Hex.Bytes("30CBBC08863D8C85D49DB34A9AE1"), cipherSalt);
    }

    [Fact]
    public void B3_auth_key_over_six_blocks()
    {
        var authKey = new byte[94];
        SrtpKeyDerivation.Derive(MasterKey, MasterSalt, SrtpKeyLabel.RtpAuthentication, authKey);
        Assert.Equal(
            Hex.Bytes("""
                CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2
                """),
            authKey);
    }

    [Fact]
    public void B3_session_keys_of_aes_cm_128_hmac_sha1_80_are_the_vectors_leading_bytes()
    {
        var keys = SrtpSessionKeys.Derive(SrtpProfile.AesCm128HmacSha1_80, MasterKey, MasterSalt);

        Assert.Equal(Hex.Bytes("C61E7A93744F39EE10734AFE3FF7A087"), keys.RtpEncryptionKey.ToArray());
        Assert.Equal(Hex.Bytes("30CBBC08863D8C85D49DB34A9AE1"), keys.RtpSalt.ToArray());
        Assert.Equal(Hex.Bytes("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), keys.RtpAuthenticationKey.ToArray());
        Assert.NotEqual(keys.RtpEncryptionKey.ToArray(), keys.RtcpEncryptionKey.ToArray());
    }

    [Fact]
    public void B2_keystream_is_what_a_zero_payload_encrypts_to_under_ssrc_zero_and_index_zero()
    {
        using var session = KeystreamSession();
        var packet = ZeroPayloadRtp(48);

        Assert.True(session.TryProtectRtp(packet, packet.Length - 10, out _, out _));

        Assert.Equal(
            Hex.Bytes("""
                E03EAD0935C95E80E166B16DD92B4EB4
                D23513162B02D0F72A43A2FE4A5F97AB
                41E95B3BB0A2E8DD477901E4FCA894C0
                """),
            packet[12..60]);
    }

    [Fact]
    public void B2_keystream_segment_ends_with_the_vectors_last_three_blocks()
    {
        const int segmentLength = 1044512;
        using var session = KeystreamSession();
        var packet = ZeroPayloadRtp(segmentLength);

        Assert.True(session.TryProtectRtp(packet, packet.Length - 10, out _, out _));

        Assert.Equal(
            Hex.Bytes("""
                EC8CDF7398607CB0F2D21675EA9EA1E4
                362B7C3C6773516318A077D7FC5073AE
                6A2CC3787889374FBEB4C81B17BA6C44
                """),
            packet[(12 + segmentLength - 48)..(12 + segmentLength)]);
    }

    private static SrtpSession KeystreamSession()
    {
        var key = Hex.Bytes("2B7E151628AED2A6ABF7158809CF4F3C");
        var salt = Hex.Bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
        var unusedAuthenticationKey = new byte[20];
        return new SrtpSession(new SrtpSessionKeys(
            SrtpProfile.AesCm128HmacSha1_80, key, salt, unusedAuthenticationKey, key, salt, unusedAuthenticationKey));
    }

    /// <summary>Sequence number, SSRC (and so ROC and index) zero, as B.2 assumes.</summary>
    private static byte[] ZeroPayloadRtp(int payloadLength)
    {
        var packet = new byte[12 + payloadLength + 10];
        packet[0] = 0x80;
        return packet;
    }
}
