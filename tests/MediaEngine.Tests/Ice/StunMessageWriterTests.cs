using System.Net;
using System.Text;
using MediaEngine.Ice;

namespace MediaEngine.Tests.Ice;

public class StunMessageWriterTests
{
    private static readonly byte[] Key = "a-short-term-password"u8.ToArray();
    private static readonly byte[] TransactionId = Enumerable.Range(1, 12).Select(value => (byte)value).ToArray();

    [Fact]
    public void BindingRequest_RoundTripsEveryIceAttribute()
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageClass.Request, StunMethod.Binding, TransactionId);
        writer.WriteUsername("local:remote");
        writer.WritePriority(0x7effffff);
        writer.WriteIceControlling(0x0102030405060708);
        writer.WriteUseCandidate();
        writer.WriteMessageIntegrity(Key);
        writer.WriteFingerprint();

        Assert.True(StunMessageReader.TryParse(buffer.AsSpan(0, writer.Length), out StunMessageReader message));
        Assert.Equal(StunMessageClass.Request, message.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(TransactionId, message.TransactionId.ToArray());
        Assert.True(message.TryGetUsername(out ReadOnlySpan<byte> username));
        Assert.Equal("local:remote", Encoding.UTF8.GetString(username));
        Assert.True(message.TryGetPriority(out uint priority));
        Assert.Equal(0x7effffffu, priority);
        Assert.True(message.TryGetIceControlling(out ulong tieBreaker));
        Assert.Equal(0x0102030405060708ul, tieBreaker);
        Assert.False(message.TryGetIceControlled(out _));
        Assert.True(message.HasUseCandidate);
        Assert.True(message.VerifyMessageIntegrity(Key));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void IceControlled_RoundTrips()
    {
        var buffer = new byte[64];
        var writer = new StunMessageWriter(buffer, StunMessageClass.Request, StunMethod.Binding, TransactionId);
        writer.WriteIceControlled(42);

        Assert.True(StunMessageReader.TryParse(buffer.AsSpan(0, writer.Length), out StunMessageReader message));
        Assert.True(message.TryGetIceControlled(out ulong tieBreaker));
        Assert.Equal(42ul, tieBreaker);
    }

    [Fact]
    public void SuccessResponse_CarriesTheMappedAddressIntegrityAndFingerprint()
    {
        var buffer = new byte[128];
        var mapped = new IPEndPoint(IPAddress.Parse("2001:db8::7"), 50_000);

        int length = StunMessageWriter.WriteBindingSuccessResponse(buffer, TransactionId, mapped, Key);

        Assert.True(StunMessageReader.TryParse(buffer.AsSpan(0, length), out StunMessageReader message));
        Assert.Equal(StunMessageClass.SuccessResponse, message.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(TransactionId, message.TransactionId.ToArray());
        Assert.True(message.TryGetXorMappedAddress(out IPEndPoint? decoded));
        Assert.Equal(mapped, decoded);
        Assert.True(message.VerifyMessageIntegrity(Key));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void IPv4MappedIPv6Peer_IsReportedAsIPv4()
    {
        var buffer = new byte[128];
        var mapped = new IPEndPoint(IPAddress.Parse("::ffff:198.51.100.9"), 4242);

        int length = StunMessageWriter.WriteBindingSuccessResponse(buffer, TransactionId, mapped, Key);

        Assert.True(StunMessageReader.TryParse(buffer.AsSpan(0, length), out StunMessageReader message));
        Assert.True(message.TryGetXorMappedAddress(out IPEndPoint? decoded));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.9"), 4242), decoded);
    }

    [Theory]
    [InlineData(StunErrorCode.BadRequest, "Bad Request")]
    [InlineData(StunErrorCode.Unauthorized, "Unauthorized")]
    [InlineData(StunErrorCode.RoleConflict, "Role Conflict")]
    public void UnauthenticatedErrorResponse_CarriesCodeAndReasonAndFingerprintOnly(StunErrorCode code, string reason)
    {
        var buffer = new byte[128];

        int length = StunMessageWriter.WriteBindingErrorResponse(buffer, TransactionId, code, ReadOnlySpan<byte>.Empty);

        Assert.True(StunMessageReader.TryParse(buffer.AsSpan(0, length), out StunMessageReader message));
        Assert.Equal(StunMessageClass.ErrorResponse, message.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.True(message.TryGetErrorCode(out int decodedCode, out ReadOnlySpan<byte> decodedReason));
        Assert.Equal((int)code, decodedCode);
        Assert.Equal(reason, Encoding.UTF8.GetString(decodedReason));
        Assert.False(message.HasMessageIntegrity);
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void AuthenticatedErrorResponse_VerifiesWithTheKey()
    {
        var buffer = new byte[128];

        int length = StunMessageWriter.WriteBindingErrorResponse(buffer, TransactionId, StunErrorCode.RoleConflict, Key);

        Assert.True(StunMessageReader.TryParse(buffer.AsSpan(0, length), out StunMessageReader message));
        Assert.True(message.VerifyMessageIntegrity(Key));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void MessageTypesMatchTheWellKnownValues()
    {
        var buffer = new byte[64];

        _ = new StunMessageWriter(buffer, StunMessageClass.Request, StunMethod.Binding, TransactionId);
        Assert.Equal(new byte[] { 0x00, 0x01 }, buffer[..2]);
        _ = new StunMessageWriter(buffer, StunMessageClass.Indication, StunMethod.Binding, TransactionId);
        Assert.Equal(new byte[] { 0x00, 0x11 }, buffer[..2]);
        _ = new StunMessageWriter(buffer, StunMessageClass.SuccessResponse, StunMethod.Binding, TransactionId);
        Assert.Equal(new byte[] { 0x01, 0x01 }, buffer[..2]);
        _ = new StunMessageWriter(buffer, StunMessageClass.ErrorResponse, StunMethod.Binding, TransactionId);
        Assert.Equal(new byte[] { 0x01, 0x11 }, buffer[..2]);
    }

    [Fact]
    public void MethodAndClassBitsRoundTripForEveryMethod()
    {
        var buffer = new byte[64];

        for (int method = 0; method < 0x1000; method += 0x0111)
        {
            foreach (StunMessageClass messageClass in Enum.GetValues<StunMessageClass>())
            {
                _ = new StunMessageWriter(buffer, messageClass, (StunMethod)method, TransactionId);
                Assert.True(StunMessageReader.TryParse(buffer.AsSpan(0, StunHeader.Length), out StunMessageReader message));
                Assert.Equal((StunMethod)method, message.Method);
                Assert.Equal(messageClass, message.Class);
            }
        }
    }

    [Fact]
    public void PaddingIsZeroed()
    {
        byte[] buffer = Enumerable.Repeat((byte)0xEE, 64).ToArray();
        var writer = new StunMessageWriter(buffer, StunMessageClass.Request, StunMethod.Binding, TransactionId);
        writer.WriteUsername("abcde");

        Assert.Equal(32, writer.Length);
        Assert.Equal(new byte[] { 0, 0, 0 }, buffer[29..32]);
    }

    [Fact]
    public void RunningOutOfRoom_Throws()
    {
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new StunMessageWriter(new byte[28], StunMessageClass.Request, StunMethod.Binding, TransactionId);
            writer.WritePriority(1);
            writer.WriteFingerprint();
        });
    }

    [Fact]
    public void TransactionIdOfTheWrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(
            () => new StunMessageWriter(new byte[64], StunMessageClass.Request, StunMethod.Binding, new byte[11]));
    }
}
