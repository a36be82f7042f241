using MediaEngine.Dtls;

namespace MediaEngine.Tests.Dtls;

public sealed class DtlsRecordProtectionTests
{
    private static readonly DtlsRecordKeys ClientKeys = new(Bytes(16, 1), Bytes(4, 2), Bytes(16, 3), Bytes(4, 4));
    private static readonly DtlsRecordKeys ServerKeys = new(Bytes(16, 3), Bytes(4, 4), Bytes(16, 1), Bytes(4, 2));

    [Fact]
    public void SealedRecord_OpensOnTheOtherSide_WithItsTypeAndPlaintext()
    {
        using var client = new DtlsRecordProtection(ClientKeys, nextSequenceNumber: 5);
        using var server = new DtlsRecordProtection(ServerKeys, nextSequenceNumber: 1);
        var record = new byte[DtlsRecordProtection.SealedLength(5)];

        int length = client.Seal(23, "hello"u8, record);

        Assert.Equal(record.Length, length);
        Assert.True(DtlsRecordFraming.IsWellFormed(record));
        Assert.Equal([0, 1, 0, 0, 0, 0, 0, 5], record[3..11]);
        Assert.True(server.TryOpen(record, out byte type, out Range plaintext));
        Assert.Equal(23, type);
        Assert.Equal("hello"u8.ToArray(), record[plaintext]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(30)]
    public void ChangedByte_InHeaderOrFragment_DoesNotOpen(int index)
    {
        using var client = new DtlsRecordProtection(ClientKeys, nextSequenceNumber: 1);
        using var server = new DtlsRecordProtection(ServerKeys, nextSequenceNumber: 1);
        var record = new byte[DtlsRecordProtection.SealedLength(10)];
        client.Seal(23, new byte[10], record);

        record[index] ^= 0x80;

        Assert.False(server.TryOpen(record, out _, out _));
    }

    [Fact]
    public void SequenceNumbers_Increase_AndEachRecordOpensOnce()
    {
        using var client = new DtlsRecordProtection(ClientKeys, nextSequenceNumber: 1);
        using var server = new DtlsRecordProtection(ServerKeys, nextSequenceNumber: 1);
        var first = new byte[DtlsRecordProtection.SealedLength(1)];
        var second = new byte[DtlsRecordProtection.SealedLength(1)];
        client.Seal(23, [1], first);
        client.Seal(23, [2], second);

        Assert.True(server.TryOpen(second.ToArray(), out _, out _));
        Assert.True(server.TryOpen(first.ToArray(), out _, out _));
        Assert.False(server.TryOpen(first.ToArray(), out _, out _));
        Assert.False(server.TryOpen(second.ToArray(), out _, out _));
    }

    [Fact]
    public void ReplayWindow_AcceptsEachNumberOnce_AndRefusesTheTooOld()
    {
        var window = new DtlsReplayWindow();
        Assert.True(window.MayAccept(0));
        window.Accept(0);
        window.Accept(100);

        Assert.False(window.MayAccept(0));
        Assert.False(window.MayAccept(100));
        Assert.False(window.MayAccept(36));
        Assert.True(window.MayAccept(37));
        Assert.True(window.MayAccept(99));
        Assert.True(window.MayAccept(101));
        window.Accept(99);
        Assert.False(window.MayAccept(99));
        window.Accept(300);
        Assert.False(window.MayAccept(236));
        Assert.True(window.MayAccept(237));
    }

    private static byte[] Bytes(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
