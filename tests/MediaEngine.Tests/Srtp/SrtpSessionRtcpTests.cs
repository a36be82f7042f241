using System.Buffers.Binary;
using MediaEngine.Srtp;

namespace MediaEngine.Tests.Srtp;

public class SrtpSessionRtcpTests
{
    private const uint Ssrc = 0xCAFE_0001;

    public static TheoryData<SrtpProfile> Profiles => TestPackets.Profiles;

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Round_trip_keeps_the_first_header_in_clear_and_encrypts_the_rest(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var buffer = TestPackets.Rtcp(Ssrc);
        int length = TestPackets.RtcpLength(buffer);
        var original = buffer[..length];

        Assert.True(sender.TryProtectRtcp(buffer, length, out int protectedLength, out var error));
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(length + profile.RtcpOverhead, protectedLength);
        Assert.Equal(original[..8], buffer[..8]);
        Assert.NotEqual(original[8..], buffer[8..length]);

        Assert.True(receiver.TryUnprotectRtcp(buffer, protectedLength, out int plainLength, out error));
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(original, buffer[..plainLength]);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Each_stream_numbers_its_packets_from_one_with_the_e_flag_set(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);

        Assert.Equal(0x8000_0001u, IndexField(profile, Protect(sender, TestPackets.Rtcp(Ssrc))));
        Assert.Equal(0x8000_0002u, IndexField(profile, Protect(sender, TestPackets.Rtcp(Ssrc))));
        Assert.Equal(0x8000_0001u, IndexField(profile, Protect(sender, TestPackets.Rtcp(Ssrc + 1))));
        Assert.Equal(0x8000_0003u, IndexField(profile, Protect(sender, TestPackets.Rtcp(Ssrc))));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_replayed_packet_is_rejected_and_reordered_ones_accepted(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var first = Protect(sender, TestPackets.Rtcp(Ssrc));
        var second = Protect(sender, TestPackets.Rtcp(Ssrc));
        var replay = second.ToArray();

        Assert.True(receiver.TryUnprotectRtcp(second, second.Length, out _, out _));
        Assert.True(receiver.TryUnprotectRtcp(first, first.Length, out _, out var error), error.ToString());
        Assert.False(receiver.TryUnprotectRtcp(replay, replay.Length, out _, out error));
        Assert.Equal(SrtpError.Replayed, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Clearing_the_e_flag_fails_authentication(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var packet = Protect(sender, TestPackets.Rtcp(Ssrc));
        packet[IndexOffset(profile, packet.Length)] &= 0x7F;

        Assert.False(receiver.TryUnprotectRtcp(packet, packet.Length, out _, out var error));
        Assert.Equal(SrtpError.AuthenticationFailed, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_tampered_tag_or_body_fails_authentication(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var packet = Protect(sender, TestPackets.Rtcp(Ssrc));
        var badTag = packet.ToArray();
        badTag[profile.IsAead ? badTag.Length - 5 : badTag.Length - 1] ^= 0x04;
        var badBody = packet.ToArray();
        badBody[12] ^= 0x04;

        Assert.False(receiver.TryUnprotectRtcp(badTag, badTag.Length, out _, out var error));
        Assert.Equal(SrtpError.AuthenticationFailed, error);
        Assert.False(receiver.TryUnprotectRtcp(badBody, badBody.Length, out _, out error));
        Assert.Equal(SrtpError.AuthenticationFailed, error);
        Assert.True(receiver.TryUnprotectRtcp(packet, packet.Length, out _, out error), error.ToString());
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Truncated_or_malformed_packets_are_rejected(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var packet = Protect(sender, TestPackets.Rtcp(Ssrc));

        Assert.False(receiver.TryUnprotectRtcp(packet, 8 + profile.RtcpOverhead - 1, out _, out var error));
        Assert.Equal(SrtpError.PacketTooShort, error);
        Assert.False(receiver.TryUnprotectRtcp(packet, packet.Length - 1, out _, out error));
        Assert.Equal(SrtpError.AuthenticationFailed, error);

        Assert.False(sender.TryProtectRtcp(new byte[64], 7, out _, out error));
        Assert.Equal(SrtpError.PacketTooShort, error);

        var versionOne = TestPackets.Rtcp(Ssrc);
        versionOne[0] = 0x41;
        Assert.False(sender.TryProtectRtcp(versionOne, TestPackets.RtcpLength(versionOne), out _, out error));
        Assert.Equal(SrtpError.InvalidHeader, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Protect_needs_room_for_the_trailer(SrtpProfile profile)
    {
        using var session = TestPackets.Session(profile);
        var buffer = TestPackets.Rtcp(Ssrc);
        int length = TestPackets.RtcpLength(buffer);

        Assert.False(session.TryProtectRtcp(buffer.AsSpan(0, length + profile.RtcpOverhead - 1), length, out _, out var error));
        Assert.Equal(SrtpError.BufferTooSmall, error);
        Assert.False(session.TryUnprotectRtcp(buffer, buffer.Length + 1, out _, out error));
        Assert.Equal(SrtpError.BufferTooSmall, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtcp_and_rtp_of_one_ssrc_are_protected_independently(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var rtcp = Protect(sender, TestPackets.Rtcp(Ssrc));
        var rtp = TestPackets.Rtp(Ssrc, 1);
        Assert.True(sender.TryProtectRtp(rtp, TestPackets.RtpLength(rtp), out int rtpLength, out _));

        Assert.True(receiver.TryUnprotectRtcp(rtcp, rtcp.Length, out _, out _));
        Assert.True(receiver.TryUnprotectRtp(rtp, rtpLength, out _, out var error), error.ToString());
    }

    private static byte[] Protect(SrtpSession sender, byte[] plain)
    {
        Assert.True(sender.TryProtectRtcp(plain, TestPackets.RtcpLength(plain), out int protectedLength, out var error), error.ToString());
        return plain[..protectedLength];
    }

    private static int IndexOffset(SrtpProfile profile, int protectedLength) =>
        profile.IsAead ? protectedLength - 4 : protectedLength - profile.RtcpAuthTagLength - 4;

    private static uint IndexField(SrtpProfile profile, byte[] packet) =>
        BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(IndexOffset(profile, packet.Length)));
}
