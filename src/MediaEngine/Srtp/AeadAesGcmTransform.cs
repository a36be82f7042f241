using System.Buffers.Binary;

namespace MediaEngine.Srtp;

/// <summary>
/// AEAD_AES_128_GCM and AEAD_AES_256_GCM (RFC 7714): the header is associated data, the payload is encrypted
/// and a 16-byte tag follows it. SRTCP packets carry E flag and index after the tag.
/// </summary>
internal sealed class AeadAesGcmTransform : SrtpTransform
{
    private const int TagLength = GcmCipher.TagLength;
    private const int NonceLength = GcmCipher.NonceLength;
    private const int RtcpHeaderLength = 8;

    private readonly GcmCipher _rtpAead;
    private readonly GcmCipher _rtcpAead;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public AeadAesGcmTransform(SrtpSessionKeys keys)
    {
        _rtpAead = GcmCipher.Create(keys.RtpEncryptionKey.Span);
        _rtcpAead = GcmCipher.Create(keys.RtcpEncryptionKey.Span);
        _rtpSalt = keys.RtpSalt.ToArray();
        _rtcpSalt = keys.RtcpSalt.ToArray();
    }

    public override int RtpTagLength => TagLength;

    public override int RtcpTagLength => TagLength;

    public override void ProtectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        int tagOffset = packet.Length - TagLength;
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildNonce(_rtpSalt, ssrc, index, nonce);
        var payload = packet[headerLength..tagOffset];
        _rtpAead.Seal(nonce, payload, packet[tagOffset..], packet[..headerLength]);
    }

    public override bool TryUnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        int tagOffset = packet.Length - TagLength;
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildNonce(_rtpSalt, ssrc, index, nonce);
        var payload = packet[headerLength..tagOffset];
        return _rtpAead.TryOpen(nonce, payload, packet[tagOffset..], packet[..headerLength]);
    }

    public override void ProtectRtcp(Span<byte> packet, uint ssrc, uint index)
    {
        int indexOffset = RtcpIndexOffset(packet.Length);
        int tagOffset = indexOffset - TagLength;
        BinaryPrimitives.WriteUInt32BigEndian(packet[indexOffset..], SrtcpIndex.EncryptedFlag | index);

        Span<byte> associatedData = stackalloc byte[RtcpHeaderLength + SrtcpIndex.Length];
        packet[..RtcpHeaderLength].CopyTo(associatedData);
        packet[indexOffset..].CopyTo(associatedData[RtcpHeaderLength..]);
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildNonce(_rtcpSalt, ssrc, index, nonce);
        var payload = packet[RtcpHeaderLength..tagOffset];
        _rtcpAead.Seal(nonce, payload, packet[tagOffset..indexOffset], associatedData);
    }

    public override bool TryUnprotectRtcp(Span<byte> packet, uint ssrc, uint indexField)
    {
        int indexOffset = RtcpIndexOffset(packet.Length);
        int tagOffset = indexOffset - TagLength;
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildNonce(_rtcpSalt, ssrc, indexField & SrtcpIndex.IndexMask, nonce);

        if ((indexField & SrtcpIndex.EncryptedFlag) != 0)
        {
            Span<byte> associatedData = stackalloc byte[RtcpHeaderLength + SrtcpIndex.Length];
            packet[..RtcpHeaderLength].CopyTo(associatedData);
            packet[indexOffset..].CopyTo(associatedData[RtcpHeaderLength..]);
            var payload = packet[RtcpHeaderLength..tagOffset];
            return _rtcpAead.TryOpen(nonce, payload, packet[tagOffset..indexOffset], associatedData);
        }

        // Unencrypted SRTCP (RFC 7714 §9) authenticates the whole packet followed by the index field; moving
        // the field over the tag makes that associated data contiguous.
        Span<byte> tag = stackalloc byte[TagLength];
        packet[tagOffset..indexOffset].CopyTo(tag);
        packet[indexOffset..].CopyTo(packet[tagOffset..]);
        return _rtcpAead.TryOpen(nonce, [], tag, packet[..(tagOffset + SrtcpIndex.Length)]);
    }

    public override int RtcpIndexOffset(int protectedLength) => protectedLength - SrtcpIndex.Length;

    public override void Dispose()
    {
        _rtpAead.Dispose();
        _rtcpAead.Dispose();
    }

    /// <summary>
    /// RFC 7714 §8.1 and §9.1: 00 00 || SSRC || 48-bit index, XOR the salt. For SRTP the index is ROC || SEQ,
    /// for SRTCP it is the 31-bit SRTCP index with zeros above it.
    /// </summary>
    private static void BuildNonce(ReadOnlySpan<byte> salt, uint ssrc, ulong index, Span<byte> nonce)
    {
        nonce.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(nonce[6..], (ushort)(index >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], (uint)index);
        for (int i = 0; i < NonceLength; i++)
        {
            nonce[i] ^= salt[i];
        }
    }
}
