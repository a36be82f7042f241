using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaEngine.Sctp;

/// <summary>
/// The State Cookie of an INIT-ACK: <see cref="SctpCookieContents"/> followed by an HMAC-SHA256
/// over them with a secret of the association (RFC 9260 §5.1.3), so a passive side keeps no state
/// until a cookie it signed comes back, and a forged or altered one is recognized.
/// </summary>
internal static class SctpStateCookie
{
    private const int ContentsLength = 36;
    private const int MacLength = HMACSHA256.HashSizeInBytes;

    public const int Length = ContentsLength + MacLength;

    public static void Write(Span<byte> destination, ReadOnlySpan<byte> secret, in SctpCookieContents contents)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, contents.CreatedAt.Ticks);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], contents.LocalTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], contents.LocalInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], contents.PeerTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], contents.PeerInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], contents.PeerReceiveWindow);
        BinaryPrimitives.WriteUInt16BigEndian(destination[28..], contents.PeerOutboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(destination[30..], contents.PeerInboundStreams);
        destination[32] = (byte)((contents.PeerSupportsForwardTsn ? 1 : 0) | (contents.PeerSupportsReConfig ? 2 : 0));
        destination.Slice(33, 3).Clear();
        HMACSHA256.HashData(secret, destination[..ContentsLength], destination.Slice(ContentsLength, MacLength));
    }

    public static SctpCookieValidity Read(
        ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> secret, TimeSpan now, TimeSpan lifetime, out SctpCookieContents contents)
    {
        contents = default;
        if (cookie.Length != Length)
        {
            return SctpCookieValidity.Forged;
        }

        Span<byte> expectedMac = stackalloc byte[MacLength];
        HMACSHA256.HashData(secret, cookie[..ContentsLength], expectedMac);
        if (!CryptographicOperations.FixedTimeEquals(expectedMac, cookie[ContentsLength..]))
        {
            return SctpCookieValidity.Forged;
        }

        contents = new SctpCookieContents(
            TimeSpan.FromTicks(BinaryPrimitives.ReadInt64BigEndian(cookie)),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[20..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[24..]),
            BinaryPrimitives.ReadUInt16BigEndian(cookie[28..]),
            BinaryPrimitives.ReadUInt16BigEndian(cookie[30..]),
            (cookie[32] & 1) != 0,
            (cookie[32] & 2) != 0);
        TimeSpan age = now - contents.CreatedAt;
        return age < TimeSpan.Zero || age > lifetime ? SctpCookieValidity.Stale : SctpCookieValidity.Valid;
    }
}
