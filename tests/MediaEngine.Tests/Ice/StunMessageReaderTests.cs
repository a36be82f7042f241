using System.Buffers.Binary;
using System.Text;
using MediaEngine.Ice;

namespace MediaEngine.Tests.Ice;

public class StunMessageReaderTests
{
    private static readonly byte[] ShortTermKey = Encoding.UTF8.GetBytes(Rfc5769Vectors.ShortTermPassword);

    [Fact]
    public void WrongPassword_FailsIntegrity()
    {
        Assert.True(StunMessageReader.TryParse(Rfc5769Vectors.SampleRequest, out StunMessageReader message));

        Assert.False(message.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBT"u8));
        Assert.False(message.VerifyMessageIntegrity(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void FlippedByte_FailsFingerprintAndIntegrity()
    {
        byte[] datagram = (byte[])Rfc5769Vectors.SampleRequest.Clone();
        datagram[25] ^= 0x01; // inside the SOFTWARE value

        Assert.True(StunMessageReader.TryParse(datagram, out StunMessageReader message));
        Assert.False(message.VerifyFingerprint());
        Assert.False(message.VerifyMessageIntegrity(ShortTermKey));
    }

    [Fact]
    public void FlippedFingerprintValue_FailsFingerprintOnly()
    {
        byte[] datagram = (byte[])Rfc5769Vectors.SampleRequest.Clone();
        datagram[^1] ^= 0x80;

        Assert.True(StunMessageReader.TryParse(datagram, out StunMessageReader message));
        Assert.False(message.VerifyFingerprint());
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
    }

    [Fact]
    public void EveryTruncation_IsRejected()
    {
        byte[] datagram = Rfc5769Vectors.SampleRequest;

        for (int length = 0; length < datagram.Length; length++)
        {
            Assert.False(StunMessageReader.TryParse(datagram.AsSpan(0, length), out _), $"accepted {length} bytes");
        }
    }

    [Fact]
    public void TrailingBytesAfterTheMessage_AreRejected()
    {
        byte[] datagram = [.. Rfc5769Vectors.SampleRequest, 0, 0, 0, 0];

        Assert.False(StunMessageReader.TryParse(datagram, out _));
    }

    [Fact]
    public void WrongMagicCookie_IsRejected()
    {
        byte[] datagram = (byte[])Rfc5769Vectors.SampleRequest.Clone();
        datagram[7] ^= 0x01;

        Assert.False(StunMessageReader.TryParse(datagram, out _));
    }

    [Theory]
    [InlineData(0x40)]
    [InlineData(0x80)]
    public void TopTwoBitsSet_IsRejected(byte firstByte)
    {
        byte[] datagram = (byte[])Rfc5769Vectors.SampleRequest.Clone();
        datagram[0] |= firstByte;

        Assert.False(StunMessageReader.TryParse(datagram, out _));
    }

    [Fact]
    public void BodyLengthNotAMultipleOfFour_IsRejected()
    {
        byte[] datagram = [.. Rfc5769Vectors.SampleRequest, 0];
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)(datagram.Length - StunHeader.Length));

        Assert.False(StunMessageReader.TryParse(datagram, out _));
    }

    [Fact]
    public void AttributeOverrunningTheMessage_IsRejected()
    {
        byte[] datagram = (byte[])Rfc5769Vectors.SampleRequest.Clone();
        const int usernameLengthOffset = 62;
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(usernameLengthOffset), 0x00FF);

        Assert.False(StunMessageReader.TryParse(datagram, out _));
    }

    [Fact]
    public void MessageIntegrityOfTheWrongSize_IsRejected()
    {
        byte[] datagram = BuildWithAttributes(
            (StunAttributeType.MessageIntegrity, new byte[16]));

        Assert.False(StunMessageReader.TryParse(datagram, out _));
    }

    [Fact]
    public void FingerprintNotLast_IsRejected()
    {
        byte[] datagram = BuildWithAttributes(
            (StunAttributeType.Fingerprint, new byte[4]),
            (StunAttributeType.Software, "x"u8.ToArray()));

        Assert.False(StunMessageReader.TryParse(datagram, out _));
    }

    [Fact]
    public void HeaderOnlyMessage_IsAccepted()
    {
        byte[] datagram = BuildWithAttributes();

        Assert.True(StunMessageReader.TryParse(datagram, out StunMessageReader message));
        Assert.False(message.HasMessageIntegrity);
        Assert.False(message.HasFingerprint);
        Assert.False(message.TryGetUsername(out _));
        Assert.False(message.VerifyMessageIntegrity(ShortTermKey));
    }

    [Fact]
    public void AttributesAfterMessageIntegrity_AreIgnoredExceptFingerprint()
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageClass.Request, StunMethod.Binding, Rfc5769Vectors.TransactionId);
        writer.WritePriority(7);
        writer.WriteMessageIntegrity(ShortTermKey);
        writer.WriteUsername("late:arrival");
        writer.WriteFingerprint();

        Assert.True(StunMessageReader.TryParse(buffer.AsSpan(0, writer.Length), out StunMessageReader message));
        Assert.False(message.TryGetUsername(out _));
        Assert.True(message.TryGetPriority(out uint priority));
        Assert.Equal(7u, priority);
        Assert.True(message.VerifyFingerprint());
        // The HMAC covered a shorter message; the length patch must not count the USERNAME after it.
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
    }

    [Fact]
    public void FirstOccurrenceOfAnAttributeWins()
    {
        byte[] datagram = BuildWithAttributes(
            (StunAttributeType.Priority, [0, 0, 0, 1]),
            (StunAttributeType.Priority, [0, 0, 0, 2]));

        Assert.True(StunMessageReader.TryParse(datagram, out StunMessageReader message));
        Assert.True(message.TryGetPriority(out uint priority));
        Assert.Equal(1u, priority);
    }

    [Fact]
    public void MalformedAttributeValues_AreReportedAsAbsent()
    {
        byte[] datagram = BuildWithAttributes(
            (StunAttributeType.Priority, [0, 1]),
            (StunAttributeType.IceControlling, [1, 2, 3, 4]),
            (StunAttributeType.XorMappedAddress, [0, 3, 0, 0, 0, 0, 0, 0]),
            (StunAttributeType.ErrorCode, [0, 0, 9, 0]));

        Assert.True(StunMessageReader.TryParse(datagram, out StunMessageReader message));
        Assert.False(message.TryGetPriority(out _));
        Assert.False(message.TryGetIceControlling(out _));
        Assert.False(message.TryGetXorMappedAddress(out _));
        Assert.False(message.TryGetErrorCode(out _, out _));
    }

    [Fact]
    public void RandomCorruption_NeverThrows()
    {
        var random = new Random(5769);
        byte[] original = Rfc5769Vectors.SampleIPv6Response;

        for (int iteration = 0; iteration < 20_000; iteration++)
        {
            byte[] datagram = (byte[])original.Clone();
            int flips = random.Next(1, 4);
            for (int flip = 0; flip < flips; flip++)
            {
                datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
            }

            int length = random.Next(2) == 0 ? datagram.Length : random.Next(datagram.Length + 1);
            ExerciseEveryAccessor(datagram.AsSpan(0, length));
        }
    }

    [Fact]
    public void ParsingAndVerifying_DoesNotAllocate()
    {
        ExerciseEveryAccessorExceptAddress(Rfc5769Vectors.SampleRequest);

        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int iteration = 0; iteration < 100; iteration++)
            {
                ExerciseEveryAccessorExceptAddress(Rfc5769Vectors.SampleRequest);
            }
        });
    }

    private static void ExerciseEveryAccessor(ReadOnlySpan<byte> datagram)
    {
        if (ExerciseEveryAccessorExceptAddress(datagram)
            && StunMessageReader.TryParse(datagram, out StunMessageReader message))
        {
            message.TryGetXorMappedAddress(out _);
        }
    }

    private static bool ExerciseEveryAccessorExceptAddress(ReadOnlySpan<byte> datagram)
    {
        if (!StunMessageReader.TryParse(datagram, out StunMessageReader message))
        {
            return false;
        }

        _ = message.Class;
        _ = message.Method;
        _ = message.TransactionId;
        _ = message.HasUseCandidate;
        foreach (StunAttribute attribute in message.Attributes)
        {
            _ = attribute.Value;
        }

        message.TryGetUsername(out _);
        message.TryGetPriority(out _);
        message.TryGetIceControlling(out _);
        message.TryGetIceControlled(out _);
        message.TryGetErrorCode(out _, out _);
        message.VerifyMessageIntegrity(ShortTermKey);
        message.VerifyFingerprint();
        return true;
    }

    private static byte[] BuildWithAttributes(params (StunAttributeType Type, byte[] Value)[] attributes)
    {
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer, StunMessageClass.Request, StunMethod.Binding, Rfc5769Vectors.TransactionId);
        foreach ((StunAttributeType type, byte[] value) in attributes)
        {
            writer.WriteAttribute(type, value);
        }

        return buffer[..writer.Length];
    }
}
