using MediaEngine.Dtls;

namespace MediaEngine.Tests.Dtls;

public class DtlsRecordFramingTests
{
    [Fact]
    public void PlaintextHandshakeRecord_IsWellFormed() =>
        Assert.True(DtlsRecordFraming.IsWellFormed(Record(contentType: 22, epoch: 0, fragmentLength: 1)));

    [Fact]
    public void SeveralWholeRecords_AreWellFormed() =>
        Assert.True(DtlsRecordFraming.IsWellFormed([.. Record(22, 0, 30), .. Record(20, 0, 1), .. Record(22, 1, 40)]));

    [Fact]
    public void EncryptedRecordTooShortForNonceAndTag_IsRejected()
    {
        Assert.False(DtlsRecordFraming.IsWellFormed(Record(23, 1, DtlsRecordFraming.MinEncryptedFragmentLength - 1)));
        Assert.True(DtlsRecordFraming.IsWellFormed(Record(23, 1, DtlsRecordFraming.MinEncryptedFragmentLength)));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("partial header")]
    [InlineData("truncated fragment")]
    [InlineData("trailing byte")]
    public void RecordsThatDoNotTileTheDatagram_AreRejected(string shape)
    {
        byte[] record = Record(22, 0, 20);
        byte[] datagram = shape switch
        {
            "empty" => [],
            "partial header" => record[..12],
            "truncated fragment" => record[..^1],
            _ => [.. record, 22],
        };

        Assert.False(DtlsRecordFraming.IsWellFormed(datagram));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    [InlineData(64)]
    [InlineData(128)]
    public void FirstByteOutsideTheDtlsRange_IsRejected(byte firstByte)
    {
        byte[] record = Record(22, 0, 20);
        record[0] = firstByte;

        Assert.False(DtlsRecordFraming.IsWellFormed(record));
    }

    private static byte[] Record(byte contentType, ushort epoch, int fragmentLength)
    {
        var record = new byte[DtlsRecordFraming.RecordHeaderLength + fragmentLength];
        record[0] = contentType;
        record[1] = 254;
        record[2] = 253;
        record[3] = (byte)(epoch >> 8);
        record[4] = (byte)epoch;
        record[11] = (byte)(fragmentLength >> 8);
        record[12] = (byte)fragmentLength;
        return record;
    }
}
