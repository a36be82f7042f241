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

            ushort epoch = BinaryPrimitives.ReadUInt16BigEndian(datagram[EpochOffset..]);
            int fragmentLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[LengthOffset..]);
            if (datagram.Length < RecordHeaderLength + fragmentLength
                || (epoch != 0 && fragmentLength < MinEncryptedFragmentLength))
            {
                return false;
            }

            datagram = datagram[(RecordHeaderLength + fragmentLength)..];
        }

        return true;
    }
}
