using System.Buffers.Binary;
using MediaEngine.Ice;

namespace MediaEngine.Dtls;

/// <summary>
/// Screens datagrams before BouncyCastle sees them. It discards most malformed records silently,
/// but a record in an encrypted epoch too short to hold the AEAD explicit nonce and tag makes it
/// raise a fatal decode_error and drop the connection, so one spoofed datagram could end a session.
/// </summary>
internal static class DtlsRecordFraming
{
    /// <summary>Content type, version, epoch, sequence number and length (RFC 6347 §4.1).</summary>
    public const int RecordHeaderLength = 13;

    /// <summary>
    /// The 8-byte explicit nonce and 16-byte tag every encrypted record carries with the AES-GCM
    /// cipher suites <see cref="WebRtcDtlsPolicy"/> allows (RFC 5288 §3).
    /// </summary>
    public const int MinEncryptedFragmentLength = 24;

    private const int EpochOffset = 3;
    private const int LengthOffset = 11;

    /// <summary>The record's epoch; the header must be whole.</summary>
    public static ushort EpochOf(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadUInt16BigEndian(record[EpochOffset..]);

    /// <summary>The record's 48-bit sequence number within its epoch; the header must be whole.</summary>
    public static long SequenceNumberOf(ReadOnlySpan<byte> record) =>
        (long)(BinaryPrimitives.ReadUInt64BigEndian(record[EpochOffset..]) & 0xFFFF_FFFF_FFFF);

    /// <summary>Header and fragment, as the header gives them; the header must be whole.</summary>
    public static int LengthOf(ReadOnlySpan<byte> record) =>
        RecordHeaderLength + BinaryPrimitives.ReadUInt16BigEndian(record[LengthOffset..]);

    /// <summary>
    /// True when the datagram starts like DTLS (RFC 7983) and consists exactly of whole records,
    /// each encrypted one long enough to decrypt.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty || StunPacketClassifier.Classify(datagram[0]) != PacketKind.Dtls)
        {
            return false;
        }

        while (!datagram.IsEmpty)
        {
            if (datagram.Length < RecordHeaderLength)
            {
                return false;
            }

            int recordLength = LengthOf(datagram);
            if (datagram.Length < recordLength
                || (EpochOf(datagram) != 0 && recordLength - RecordHeaderLength < MinEncryptedFragmentLength))
            {
                return false;
            }

            datagram = datagram[recordLength..];
        }

        return true;
    }
}
