namespace MediaEngine.Srtp;

/// <summary>
/// The cryptographic half of SRTP for one profile: protects a packet in place and checks and restores it,
/// given the packet index that <see cref="SrtpSession"/> worked out. Not thread-safe.
/// </summary>
internal abstract class SrtpTransform : IDisposable
{
    public abstract int RtpTagLength { get; }

    public abstract int RtcpTagLength { get; }

    public static SrtpTransform Create(SrtpSessionKeys keys) =>
        keys.Profile.IsAead ? new AeadAesGcmTransform(keys) : new AesCmHmacSha1Transform(keys);

    /// <param name="packet">Header, payload, then <see cref="RtpTagLength"/> bytes for the tag.</param>
    public abstract void ProtectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index);

    /// <param name="packet">Header, encrypted payload and tag; on success the payload is plain text.</param>
    /// <returns>False when the tag does not authenticate the packet under this index.</returns>
    public abstract bool TryUnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index);

    /// <param name="packet">The RTCP compound packet, then <see cref="RtcpTagLength"/> plus four bytes for the trailer.</param>
    public abstract void ProtectRtcp(Span<byte> packet, uint ssrc, uint index);

    /// <param name="packet">The protected packet with its trailer; on success the RTCP part is plain text.</param>
    /// <param name="indexField">The E flag and SRTCP index as read at <see cref="RtcpIndexOffset"/>.</param>
    public abstract bool TryUnprotectRtcp(Span<byte> packet, uint ssrc, uint indexField);

    /// <summary>Where the E flag and SRTCP index sit in a protected packet of the given length.</summary>
    public abstract int RtcpIndexOffset(int protectedLength);

    public abstract void Dispose();
}
