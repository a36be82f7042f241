using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaEngine.Srtp;

/// <summary>
/// AES_CM_128_HMAC_SHA1_80 and _32 (RFC 3711): AES counter mode encryption, then an HMAC-SHA1 tag cut to the
/// profile's length. SRTCP packets carry E flag and index before the tag.
/// </summary>
internal sealed class AesCmHmacSha1Transform : SrtpTransform
{
    private const int RtcpHeaderLength = 8;
    private const int HmacSha1Length = 20;

    private readonly AesCounterModeCipher _rtpCipher;
    private readonly AesCounterModeCipher _rtcpCipher;
    private readonly IncrementalHash _rtpHmac;
    private readonly IncrementalHash _rtcpHmac;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public AesCmHmacSha1Transform(SrtpSessionKeys keys)
    {
        RtpTagLength = keys.Profile.RtpAuthTagLength;
        RtcpTagLength = keys.Profile.RtcpAuthTagLength;
        _rtpCipher = new AesCounterModeCipher(keys.RtpEncryptionKey.Span);
        _rtcpCipher = new AesCounterModeCipher(keys.RtcpEncryptionKey.Span);
        _rtpHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.RtpAuthenticationKey.Span);
        _rtcpHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.RtcpAuthenticationKey.Span);
        _rtpSalt = keys.RtpSalt.ToArray();
        _rtcpSalt = keys.RtcpSalt.ToArray();
    }

    public override int RtpTagLength { get; }

    public override int RtcpTagLength { get; }

    public override void ProtectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        int tagOffset = packet.Length - RtpTagLength;
        Span<byte> iv = stackalloc byte[AesCounterModeCipher.BlockSize];
        BuildIv(_rtpSalt, ssrc, index, iv);
        _rtpCipher.Apply(iv, packet[headerLength..tagOffset]);

        int authenticatedLength = AppendRolloverCounter(packet, tagOffset, index);
        ComputeTag(_rtpHmac, packet[..authenticatedLength], packet[tagOffset..]);
    }

    public override bool TryUnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        int tagOffset = packet.Length - RtpTagLength;
        Span<byte> receivedTag = stackalloc byte[HmacSha1Length];
        receivedTag = receivedTag[..RtpTagLength];
        packet[tagOffset..].CopyTo(receivedTag);

        int authenticatedLength = AppendRolloverCounter(packet, tagOffset, index);
        Span<byte> expectedTag = stackalloc byte[HmacSha1Length];
        expectedTag = expectedTag[..RtpTagLength];
        ComputeTag(_rtpHmac, packet[..authenticatedLength], expectedTag);
        if (!CryptographicOperations.FixedTimeEquals(expectedTag, receivedTag))
        {
            return false;
        }

        Span<byte> iv = stackalloc byte[AesCounterModeCipher.BlockSize];
        BuildIv(_rtpSalt, ssrc, index, iv);
        _rtpCipher.Apply(iv, packet[headerLength..tagOffset]);
        return true;
    }

    public override void ProtectRtcp(Span<byte> packet, uint ssrc, uint index)
    {
        int indexOffset = RtcpIndexOffset(packet.Length);
        int tagOffset = indexOffset + SrtcpIndex.Length;
        Span<byte> iv = stackalloc byte[AesCounterModeCipher.BlockSize];
        BuildIv(_rtcpSalt, ssrc, index, iv);
        _rtcpCipher.Apply(iv, packet[RtcpHeaderLength..indexOffset]);
        BinaryPrimitives.WriteUInt32BigEndian(packet[indexOffset..], SrtcpIndex.EncryptedFlag | index);
        ComputeTag(_rtcpHmac, packet[..tagOffset], packet[tagOffset..]);
    }

    public override bool TryUnprotectRtcp(Span<byte> packet, uint ssrc, uint indexField)
    {
        int indexOffset = RtcpIndexOffset(packet.Length);
        int tagOffset = indexOffset + SrtcpIndex.Length;
        Span<byte> expectedTag = stackalloc byte[HmacSha1Length];
        expectedTag = expectedTag[..RtcpTagLength];
        ComputeTag(_rtcpHmac, packet[..tagOffset], expectedTag);
        if (!CryptographicOperations.FixedTimeEquals(expectedTag, packet[tagOffset..]))
        {
            return false;
        }

        if ((indexField & SrtcpIndex.EncryptedFlag) != 0)
        {
            Span<byte> iv = stackalloc byte[AesCounterModeCipher.BlockSize];
            BuildIv(_rtcpSalt, ssrc, indexField & SrtcpIndex.IndexMask, iv);
            _rtcpCipher.Apply(iv, packet[RtcpHeaderLength..indexOffset]);
        }

        return true;
    }

    public override int RtcpIndexOffset(int protectedLength) => protectedLength - RtcpTagLength - SrtcpIndex.Length;

    public override void Dispose()
    {
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
        _rtpHmac.Dispose();
        _rtcpHmac.Dispose();
    }

    /// <summary>
    /// RFC 3711 §4.2 authenticates the roll-over counter after the packet without sending it. Writing it where
    /// the tag goes (every tag is at least four bytes) lets one HMAC call cover a contiguous span.
    /// </summary>
    /// <returns>The length of the span to authenticate.</returns>
    private static int AppendRolloverCounter(Span<byte> packet, int tagOffset, ulong index)
    {
        BinaryPrimitives.WriteUInt32BigEndian(packet[tagOffset..], (uint)(index >> 16));
        return tagOffset + sizeof(uint);
    }

    /// <summary>RFC 3711 §4.1.1: IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16).</summary>
    private static void BuildIv(ReadOnlySpan<byte> salt, uint ssrc, ulong index, Span<byte> iv)
    {
        iv.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(iv[4..], ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(iv[8..], (ushort)(index >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(iv[10..], (uint)index);
        for (int i = 0; i < salt.Length; i++)
        {
            iv[i] ^= salt[i];
        }
    }

    private static void ComputeTag(IncrementalHash hmac, ReadOnlySpan<byte> authenticated, Span<byte> tag)
    {
        hmac.AppendData(authenticated);
        Span<byte> mac = stackalloc byte[HmacSha1Length];
        hmac.GetHashAndReset(mac);
        mac[..tag.Length].CopyTo(tag);
    }
}
