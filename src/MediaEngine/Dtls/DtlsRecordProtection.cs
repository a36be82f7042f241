using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaEngine.Dtls;

/// <summary>
/// The record layer of an established DTLS 1.2 connection, epoch 1, for the AES-GCM cipher suites
/// <see cref="WebRtcDtlsPolicy"/> negotiates (RFC 5288, RFC 6347 §4.1): seals outgoing records and
/// opens incoming ones without allocating, so records after the handshake are handled on the
/// media worker's thread instead of on a thread of their own. Keys come from the handshake's key
/// block. Not thread-safe.
/// </summary>
internal sealed class DtlsRecordProtection : IDisposable
{
    public const int TagLength = 16;
    public const int ExplicitNonceLength = 8;
    public const int Overhead = DtlsRecordFraming.RecordHeaderLength + ExplicitNonceLength + TagLength;
    public const ushort Epoch = 1;

    private const int FixedIvLength = 4;
    private const int AdditionalDataLength = 13;
    private const byte VersionMajor = 254;
    private const byte VersionMinor = 253;

    private readonly AesGcm _sealing;
    private readonly AesGcm _opening;
    private readonly byte[] _sealingIv;
    private readonly byte[] _openingIv;
    private readonly DtlsReplayWindow _replayWindow = new();
    private long _nextSequenceNumber;

    /// <param name="nextSequenceNumber">The first epoch-1 sequence number not used by the handshake's own records.</param>
    public DtlsRecordProtection(DtlsRecordKeys keys, long nextSequenceNumber)
    {
        _sealing = new AesGcm(keys.LocalWriteKey, TagLength);
        _opening = new AesGcm(keys.RemoteWriteKey, TagLength);
        _sealingIv = keys.LocalWriteIv;
        _openingIv = keys.RemoteWriteIv;
        _nextSequenceNumber = nextSequenceNumber;
    }

    public static int SealedLength(int plaintextLength) => Overhead + plaintextLength;

    /// <summary>Writes one record of <paramref name="contentType"/> holding <paramref name="plaintext"/>; returns its length.</summary>
    public int Seal(byte contentType, ReadOnlySpan<byte> plaintext, Span<byte> record)
    {
        long sequenceNumber = _nextSequenceNumber++;
        long epochAndSequence = ((long)Epoch << 48) | sequenceNumber;
        int fragmentLength = ExplicitNonceLength + plaintext.Length + TagLength;
        record[0] = contentType;
        record[1] = VersionMajor;
        record[2] = VersionMinor;
        BinaryPrimitives.WriteInt64BigEndian(record[3..], epochAndSequence);
        BinaryPrimitives.WriteUInt16BigEndian(record[11..], (ushort)fragmentLength);
        Span<byte> fragment = record.Slice(DtlsRecordFraming.RecordHeaderLength, fragmentLength);
        BinaryPrimitives.WriteInt64BigEndian(fragment, epochAndSequence);

        Span<byte> nonce = stackalloc byte[FixedIvLength + ExplicitNonceLength];
        _sealingIv.CopyTo(nonce);
        fragment[..ExplicitNonceLength].CopyTo(nonce[FixedIvLength..]);
        Span<byte> additionalData = stackalloc byte[AdditionalDataLength];
        WriteAdditionalData(additionalData, epochAndSequence, contentType, plaintext.Length);
        _sealing.Encrypt(
            nonce,
            plaintext,
            fragment.Slice(ExplicitNonceLength, plaintext.Length),
            fragment[^TagLength..],
            additionalData);
        return DtlsRecordFraming.RecordHeaderLength + fragmentLength;
    }

    /// <summary>
    /// Decrypts one epoch-1 record in place. False, leaving the replay window unchanged, when the
    /// record was seen before or does not authenticate (a bad MAC).
    /// </summary>
    public bool TryOpen(Span<byte> record, out byte contentType, out Range plaintext)
    {
        contentType = record[0];
        plaintext = default;
        long epochAndSequence = BinaryPrimitives.ReadInt64BigEndian(record[3..]);
        long sequenceNumber = epochAndSequence & 0xFFFF_FFFF_FFFF;
        Span<byte> fragment = record[DtlsRecordFraming.RecordHeaderLength..];
        int plaintextLength = fragment.Length - ExplicitNonceLength - TagLength;
        if (plaintextLength < 0 || !_replayWindow.MayAccept(sequenceNumber))
        {
            return false;
        }

        Span<byte> nonce = stackalloc byte[FixedIvLength + ExplicitNonceLength];
        _openingIv.CopyTo(nonce);
        fragment[..ExplicitNonceLength].CopyTo(nonce[FixedIvLength..]);
        Span<byte> additionalData = stackalloc byte[AdditionalDataLength];
        WriteAdditionalData(additionalData, epochAndSequence, contentType, plaintextLength);
        Span<byte> ciphertext = fragment.Slice(ExplicitNonceLength, plaintextLength);
        try
        {
            _opening.Decrypt(nonce, ciphertext, fragment[^TagLength..], ciphertext, additionalData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        _replayWindow.Accept(sequenceNumber);
        int start = DtlsRecordFraming.RecordHeaderLength + ExplicitNonceLength;
        plaintext = start..(start + plaintextLength);
        return true;
    }

    public void Dispose()
    {
        _sealing.Dispose();
        _opening.Dispose();
    }

    /// <summary>seq_num (epoch and sequence), type, version and the plaintext's length (RFC 5246 §6.2.3.3).</summary>
    private static void WriteAdditionalData(Span<byte> additionalData, long epochAndSequence, byte contentType, int plaintextLength)
    {
        BinaryPrimitives.WriteInt64BigEndian(additionalData, epochAndSequence);
        additionalData[8] = contentType;
        additionalData[9] = VersionMajor;
        additionalData[10] = VersionMinor;
        BinaryPrimitives.WriteUInt16BigEndian(additionalData[11..], (ushort)plaintextLength);
    }
}
