using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MediaEngine.Srtp;

/// <summary>
/// SRTP and SRTCP (RFC 3711, RFC 7714) under one direction's keys, without I/O: packets are protected and
/// unprotected in place in the caller's buffer, without allocating.
/// </summary>
/// <remarks>
/// Streams are told apart by SSRC. Each keeps its highest packet index (from which the roll-over counter is
/// estimated), its SRTCP index and its replay windows. A receiving stream's state is created only once its first
/// packet authenticates, so forged packets create none. The protecting side allows a packet to be sent again
/// with the same sequence number, as mediasoup's libsrtp policy does for retransmissions without RTX.
/// Failures are reported through <see cref="SrtpError"/>, never by throwing; after a failure the buffer's
/// contents are unspecified. Not thread-safe.
/// </remarks>
public sealed class SrtpSession : IDisposable
{
    /// <summary>How many packet indices, up to the highest received, replay protection remembers per stream.</summary>
    public const int ReplayWindowSize = ReplayWindow.Size;

    private readonly SrtpTransform _transform;
    private readonly Dictionary<uint, ulong> _highestSentRtpIndex = [];
    private readonly Dictionary<uint, ReplayWindow> _receivedRtp = [];
    private readonly Dictionary<uint, uint> _lastSentRtcpIndex = [];
    private readonly Dictionary<uint, ReplayWindow> _receivedRtcp = [];

    /// <summary>Derives the session keys from the master key and salt, e.g. as DTLS-SRTP exports them.</summary>
    public SrtpSession(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
        : this(SrtpSessionKeys.Derive(profile, masterKey, masterSalt))
    {
    }

    public SrtpSession(SrtpSessionKeys keys)
    {
        Profile = keys.Profile;
        _transform = SrtpTransform.Create(keys);
    }

    public SrtpProfile Profile { get; }

    /// <summary>Encrypts the RTP packet in <c>buffer[..length]</c> and appends its authentication tag.</summary>
    /// <param name="buffer">The packet, followed by room for at least <c>Profile.RtpOverhead</c> bytes.</param>
    /// <param name="protectedLength">The length of the SRTP packet now at the start of <paramref name="buffer"/>.</param>
    public bool TryProtectRtp(Span<byte> buffer, int length, out int protectedLength, out SrtpError error)
    {
        protectedLength = 0;
        int tagLength = _transform.RtpTagLength;
        if (!HasRoomForTrailer(buffer, length, tagLength, out error)
            || !RtpHeader.TryGetLength(buffer[..length], out int headerLength, out error))
        {
            return false;
        }

        uint ssrc = RtpHeader.Ssrc(buffer);
        ushort sequenceNumber = RtpHeader.SequenceNumber(buffer);
        ref ulong highestIndex = ref CollectionsMarshal.GetValueRefOrAddDefault(_highestSentRtpIndex, ssrc, out bool known);
        ulong index = known ? RtpPacketIndex.Estimate(highestIndex, sequenceNumber) : sequenceNumber;
        if (!known || index > highestIndex)
        {
            highestIndex = index;
        }

        protectedLength = length + tagLength;
        _transform.ProtectRtp(buffer[..protectedLength], headerLength, ssrc, index);
        return true;
    }

    /// <summary>Authenticates the SRTP packet in <c>buffer[..length]</c>, checks it for replay and decrypts it.</summary>
    /// <param name="unprotectedLength">The length of the RTP packet now at the start of <paramref name="buffer"/>.</param>
    public bool TryUnprotectRtp(Span<byte> buffer, int length, out int unprotectedLength, out SrtpError error)
    {
        unprotectedLength = 0;
        int tagLength = _transform.RtpTagLength;
        if (!FitsInBuffer(buffer, length, out error))
        {
            return false;
        }

        if (length < RtpHeader.FixedLength + tagLength)
        {
            error = SrtpError.PacketTooShort;
            return false;
        }

        var packet = buffer[..length];
        if (!RtpHeader.TryGetLength(packet[..^tagLength], out int headerLength, out error))
        {
            return false;
        }

        uint ssrc = RtpHeader.Ssrc(packet);
        ref ReplayWindow window = ref CollectionsMarshal.GetValueRefOrNullRef(_receivedRtp, ssrc);
        bool known = !Unsafe.IsNullRef(ref window);
        ushort sequenceNumber = RtpHeader.SequenceNumber(packet);
        ulong index = known ? RtpPacketIndex.Estimate(window.HighestIndex, sequenceNumber) : sequenceNumber;
        if (known && (error = window.Check(index)) != SrtpError.None)
        {
            return false;
        }

        if (!_transform.TryUnprotectRtp(packet, headerLength, ssrc, index))
        {
            error = SrtpError.AuthenticationFailed;
            return false;
        }

        if (known)
        {
            window.Accept(index);
        }
        else
        {
            _receivedRtp.Add(ssrc, ReplayWindow.StartingAt(index));
        }

        unprotectedLength = length - tagLength;
        return true;
    }

    /// <summary>Encrypts the RTCP compound packet in <c>buffer[..length]</c> and appends E flag, SRTCP index and tag.</summary>
    /// <param name="buffer">The packet, followed by room for at least <c>Profile.RtcpOverhead</c> bytes.</param>
    public bool TryProtectRtcp(Span<byte> buffer, int length, out int protectedLength, out SrtpError error)
    {
        protectedLength = 0;
        int trailerLength = _transform.RtcpTagLength + SrtcpIndex.Length;
        if (!HasRoomForTrailer(buffer, length, trailerLength, out error) || !HasRtcpHeader(buffer[..length], out error))
        {
            return false;
        }

        uint ssrc = RtcpHeader.Ssrc(buffer);
        ref uint lastIndex = ref CollectionsMarshal.GetValueRefOrAddDefault(_lastSentRtcpIndex, ssrc, out _);
        // Like libsrtp, a stream's first SRTCP packet gets index 1.
        lastIndex = (lastIndex + 1) & SrtcpIndex.IndexMask;

        protectedLength = length + trailerLength;
        _transform.ProtectRtcp(buffer[..protectedLength], ssrc, lastIndex);
        return true;
    }

    /// <summary>
    /// Authenticates the SRTCP packet in <c>buffer[..length]</c>, checks its index for replay and decrypts it
    /// if its E flag says it is encrypted.
    /// </summary>
    public bool TryUnprotectRtcp(Span<byte> buffer, int length, out int unprotectedLength, out SrtpError error)
    {
        unprotectedLength = 0;
        int trailerLength = _transform.RtcpTagLength + SrtcpIndex.Length;
        if (!FitsInBuffer(buffer, length, out error))
        {
            return false;
        }

        if (length < RtcpHeader.Length + trailerLength)
        {
            error = SrtpError.PacketTooShort;
            return false;
        }

        var packet = buffer[..length];
        if (!HasRtcpHeader(packet, out error))
        {
            return false;
        }

        uint ssrc = RtcpHeader.Ssrc(packet);
        uint indexField = BinaryPrimitives.ReadUInt32BigEndian(packet[_transform.RtcpIndexOffset(length)..]);
        ulong index = indexField & SrtcpIndex.IndexMask;
        ref ReplayWindow window = ref CollectionsMarshal.GetValueRefOrNullRef(_receivedRtcp, ssrc);
        bool known = !Unsafe.IsNullRef(ref window);
        if (known && (error = window.Check(index)) != SrtpError.None)
        {
            return false;
        }

        if (!_transform.TryUnprotectRtcp(packet, ssrc, indexField))
        {
            error = SrtpError.AuthenticationFailed;
            return false;
        }

        if (known)
        {
            window.Accept(index);
        }
        else
        {
            _receivedRtcp.Add(ssrc, ReplayWindow.StartingAt(index));
        }

        unprotectedLength = length - trailerLength;
        return true;
    }

    public void Dispose() => _transform.Dispose();

    private static bool FitsInBuffer(Span<byte> buffer, int length, out SrtpError error)
    {
        error = (uint)length <= (uint)buffer.Length ? SrtpError.None : SrtpError.BufferTooSmall;
        return error == SrtpError.None;
    }

    private static bool HasRoomForTrailer(Span<byte> buffer, int length, int trailerLength, out SrtpError error)
    {
        error = (uint)length <= (uint)buffer.Length && buffer.Length - length >= trailerLength
            ? SrtpError.None
            : SrtpError.BufferTooSmall;
        return error == SrtpError.None;
    }

    private static bool HasRtcpHeader(ReadOnlySpan<byte> packet, out SrtpError error)
    {
        error = packet.Length < RtcpHeader.Length ? SrtpError.PacketTooShort
            : !RtcpHeader.HasValidVersion(packet) ? SrtpError.InvalidHeader
            : SrtpError.None;
        return error == SrtpError.None;
    }
}
