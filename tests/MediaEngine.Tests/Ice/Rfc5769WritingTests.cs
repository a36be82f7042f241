using System.Net;
using System.Text;
using MediaEngine.Ice;

namespace MediaEngine.Tests.Ice;

/// <summary>
/// Rebuilds the RFC 5769 samples with <see cref="StunMessageWriter"/>. The samples pad with
/// 0x20 where the writer pads with zero; the byte-identical tests overwrite that padding in the
/// caller's buffer before the integrity attributes are written, which then pins our HMAC and CRC
/// computation to the RFC's bytes.
/// </summary>
public class Rfc5769WritingTests
{
    private const byte RfcPaddingByte = 0x20;
    private static readonly byte[] ShortTermKey = Encoding.UTF8.GetBytes(Rfc5769Vectors.ShortTermPassword);

    [Fact]
    public void SampleRequest_IsReproducedByteForByte()
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageClass.Request, StunMethod.Binding, Rfc5769Vectors.TransactionId);
        writer.WriteAttribute(StunAttributeType.Software, "STUN test client"u8);
        writer.WritePriority(0x6e0001ff);
        writer.WriteIceControlled(0x932ff9b151263b36);
        writer.WriteUsername("evtj:h6vY");
        buffer.AsSpan(writer.Length - 3, 3).Fill(RfcPaddingByte);
        writer.WriteMessageIntegrity(ShortTermKey);
        writer.WriteFingerprint();

        Assert.Equal(Rfc5769Vectors.SampleRequest, buffer[..writer.Length]);
    }

    [Fact]
    public void SampleIPv4Response_IsReproducedByteForByte()
    {
        var buffer = new byte[256];

        int length = WriteSampleResponse(buffer, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), patchPadding: true);

        Assert.Equal(Rfc5769Vectors.SampleIPv4Response, buffer[..length]);
    }

    [Fact]
    public void SampleIPv6Response_IsReproducedByteForByte()
    {
        var buffer = new byte[256];
        var mapped = new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853);

        int length = WriteSampleResponse(buffer, mapped, patchPadding: true);

        Assert.Equal(Rfc5769Vectors.SampleIPv6Response, buffer[..length]);
    }

    [Fact]
    public void SampleLongTermRequest_IsReproducedByteForByte()
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(
            buffer, StunMessageClass.Request, StunMethod.Binding, Rfc5769Vectors.LongTermTransactionId);
        writer.WriteUsername(Rfc5769Vectors.LongTermUsername);
        writer.WriteAttribute(StunAttributeType.Nonce, Encoding.UTF8.GetBytes(Rfc5769Vectors.LongTermNonce));
        writer.WriteAttribute(StunAttributeType.Realm, Encoding.UTF8.GetBytes(Rfc5769Vectors.LongTermRealm));
        writer.WriteMessageIntegrity(Rfc5769ParsingTests.LongTermKey(Rfc5769Vectors.LongTermPreparedPassword));

        Assert.Equal(Rfc5769Vectors.SampleLongTermRequest, buffer[..writer.Length]);
    }

    [Fact]
    public void SampleIPv4Response_WithZeroPadding_MatchesTheRfcFieldByFieldAndVerifies()
    {
        var buffer = new byte[256];
        int length = WriteSampleResponse(buffer, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), patchPadding: false);
        byte[] expected = Rfc5769Vectors.SampleIPv4Response;

        Assert.Equal(expected.Length, length);
        Assert.Equal(expected[..20], buffer[..20]);
        Assert.Equal(expected[20..35], buffer[20..35]);
        Assert.Equal(0, buffer[35]);
        Assert.Equal(expected[36..48], buffer[36..48]);
        Assert.Equal(expected[48..52], buffer[48..52]);
        Assert.Equal(expected[72..76], buffer[72..76]);
        Assert.True(StunMessageReader.TryParse(buffer.AsSpan(0, length), out StunMessageReader message));
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.True(message.VerifyFingerprint());
    }

    private static int WriteSampleResponse(byte[] buffer, IPEndPoint mapped, bool patchPadding)
    {
        var writer = new StunMessageWriter(
            buffer, StunMessageClass.SuccessResponse, StunMethod.Binding, Rfc5769Vectors.TransactionId);
        writer.WriteAttribute(StunAttributeType.Software, "test vector"u8);
        if (patchPadding)
        {
            buffer[writer.Length - 1] = RfcPaddingByte;
        }

        writer.WriteXorMappedAddress(mapped);
        writer.WriteMessageIntegrity(ShortTermKey);
        writer.WriteFingerprint();
        return writer.Length;
    }
}
