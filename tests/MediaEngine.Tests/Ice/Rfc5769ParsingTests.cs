using System.Net;
using System.Security.Cryptography;
using System.Text;
using MediaEngine.Ice;

namespace MediaEngine.Tests.Ice;

public class Rfc5769ParsingTests
{
    private static readonly byte[] ShortTermKey = Encoding.UTF8.GetBytes(Rfc5769Vectors.ShortTermPassword);

    [Fact]
    public void SampleRequest_IsParsedWithAllIceAttributes()
    {
        Assert.True(StunMessageReader.TryParse(Rfc5769Vectors.SampleRequest, out StunMessageReader message));

        Assert.Equal(StunMessageClass.Request, message.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(Rfc5769Vectors.TransactionId, message.TransactionId.ToArray());
        Assert.True(message.TryGetUsername(out ReadOnlySpan<byte> username));
        Assert.Equal("evtj:h6vY", Encoding.UTF8.GetString(username));
        Assert.True(message.TryGetPriority(out uint priority));
        Assert.Equal(0x6e0001ffu, priority);
        Assert.True(message.TryGetIceControlled(out ulong tieBreaker));
        Assert.Equal(0x932ff9b151263b36ul, tieBreaker);
        Assert.False(message.TryGetIceControlling(out _));
        Assert.False(message.HasUseCandidate);
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out ReadOnlySpan<byte> software));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(software));
    }

    [Fact]
    public void SampleRequest_IntegrityAndFingerprintVerify()
    {
        Assert.True(StunMessageReader.TryParse(Rfc5769Vectors.SampleRequest, out StunMessageReader message));

        Assert.True(message.HasMessageIntegrity);
        Assert.True(message.HasFingerprint);
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void SampleIPv4Response_IsParsedAndVerified()
    {
        Assert.True(StunMessageReader.TryParse(Rfc5769Vectors.SampleIPv4Response, out StunMessageReader message));

        Assert.Equal(StunMessageClass.SuccessResponse, message.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.True(message.TryGetXorMappedAddress(out IPEndPoint? mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), mapped);
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out ReadOnlySpan<byte> software));
        Assert.Equal("test vector", Encoding.UTF8.GetString(software));
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void SampleIPv6Response_IsParsedAndVerified()
    {
        Assert.True(StunMessageReader.TryParse(Rfc5769Vectors.SampleIPv6Response, out StunMessageReader message));

        Assert.Equal(StunMessageClass.SuccessResponse, message.Class);
        Assert.True(message.TryGetXorMappedAddress(out IPEndPoint? mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), mapped);
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void SampleLongTermRequest_IsParsedAndItsLongTermIntegrityVerifies()
    {
        Assert.True(StunMessageReader.TryParse(Rfc5769Vectors.SampleLongTermRequest, out StunMessageReader message));

        Assert.Equal(StunMessageClass.Request, message.Class);
        Assert.Equal(Rfc5769Vectors.LongTermTransactionId, message.TransactionId.ToArray());
        Assert.True(message.TryGetUsername(out ReadOnlySpan<byte> username));
        Assert.Equal(Rfc5769Vectors.LongTermUsername, Encoding.UTF8.GetString(username));
        Assert.True(message.TryGetAttribute(StunAttributeType.Nonce, out ReadOnlySpan<byte> nonce));
        Assert.Equal(Rfc5769Vectors.LongTermNonce, Encoding.UTF8.GetString(nonce));
        Assert.True(message.TryGetAttribute(StunAttributeType.Realm, out ReadOnlySpan<byte> realm));
        Assert.Equal(Rfc5769Vectors.LongTermRealm, Encoding.UTF8.GetString(realm));
        Assert.False(message.HasFingerprint);
        Assert.False(message.VerifyFingerprint());
        Assert.True(message.VerifyMessageIntegrity(LongTermKey(Rfc5769Vectors.LongTermPreparedPassword)));
        Assert.False(message.VerifyMessageIntegrity(LongTermKey("The\u00ADM\u00AAtr\u2168")));
    }

    [Fact]
    public void SampleRequest_AttributesAreEnumeratedInWireOrder()
    {
        Assert.True(StunMessageReader.TryParse(Rfc5769Vectors.SampleRequest, out StunMessageReader message));
        var types = new List<StunAttributeType>();

        foreach (StunAttribute attribute in message.Attributes)
        {
            types.Add(attribute.Type);
        }

        Assert.Equal(
            [
                StunAttributeType.Software,
                StunAttributeType.Priority,
                StunAttributeType.IceControlled,
                StunAttributeType.Username,
                StunAttributeType.MessageIntegrity,
                StunAttributeType.Fingerprint,
            ],
            types);
    }

    internal static byte[] LongTermKey(string password) =>
        MD5.HashData(Encoding.UTF8.GetBytes(
            $"{Rfc5769Vectors.LongTermUsername}:{Rfc5769Vectors.LongTermRealm}:{password}"));
}
