using MediaEngine.Srtp;

namespace MediaEngine.Tests.Srtp;

public class SrtpSessionRtpTests
{
    private const uint Ssrc = 0x1234_5678;

    public static TheoryData<SrtpProfile> Profiles => TestPackets.Profiles;

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Round_trip_keeps_the_header_in_clear_and_encrypts_the_payload(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var buffer = TestPackets.Rtp(Ssrc, 1000, payloadLength: 1200, csrcCount: 2, extensionWords: 3);
        int length = TestPackets.RtpLength(buffer);
        const int headerLength = 12 + 8 + 16;
        var original = buffer[..length];
        Assert.Equal(profile, sender.Profile);

        Assert.True(sender.TryProtectRtp(buffer, length, out int protectedLength, out var error));
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(length + profile.RtpOverhead, protectedLength);
        Assert.Equal(original[..headerLength], buffer[..headerLength]);
        Assert.NotEqual(original[headerLength..], buffer[headerLength..length]);

        Assert.True(receiver.TryUnprotectRtp(buffer, protectedLength, out int plainLength, out error));
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(original, buffer[..plainLength]);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Roll_over_counter_follows_the_sequence_number_through_its_wrap(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);

        foreach (ushort sequenceNumber in new ushort[] { 65534, 65535, 0, 1, 2 })
        {
            var packet = TestPackets.Rtp(Ssrc, sequenceNumber);
            var original = packet[..TestPackets.RtpLength(packet)];
            var buffer = Protect(sender, packet);
            Assert.True(receiver.TryUnprotectRtp(buffer, buffer.Length, out int plainLength, out var error), $"{sequenceNumber}: {error}");
            Assert.Equal(original, buffer[..plainLength]);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void After_the_wrap_a_packet_is_protected_under_roll_over_counter_one(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        Protect(sender, TestPackets.Rtp(Ssrc, 65535));
        var afterWrap = Protect(sender, TestPackets.Rtp(Ssrc, 0));

        // A receiver that never saw the wrap assumes roll-over counter 0 and so cannot authenticate it.
        using var freshReceiver = TestPackets.Session(profile);
        Assert.False(freshReceiver.TryUnprotectRtp(afterWrap, afterWrap.Length, out _, out var error));
        Assert.Equal(SrtpError.AuthenticationFailed, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Packets_reordered_across_the_wrap_are_accepted(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var protectedBySequence = new Dictionary<ushort, byte[]>();
        foreach (ushort sequenceNumber in new ushort[] { 65533, 65534, 65535, 0, 1 })
        {
            protectedBySequence[sequenceNumber] = Protect(sender, TestPackets.Rtp(Ssrc, sequenceNumber));
        }

        foreach (ushort sequenceNumber in new ushort[] { 65533, 0, 65535, 1, 65534 })
        {
            var buffer = protectedBySequence[sequenceNumber];
            Assert.True(receiver.TryUnprotectRtp(buffer, buffer.Length, out _, out var error), $"{sequenceNumber}: {error}");
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_replayed_packet_is_rejected(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var packet = Protect(sender, TestPackets.Rtp(Ssrc, 7));
        var replay = packet.ToArray();

        Assert.True(receiver.TryUnprotectRtp(packet, packet.Length, out _, out _));
        Assert.False(receiver.TryUnprotectRtp(replay, replay.Length, out _, out var error));
        Assert.Equal(SrtpError.Replayed, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_late_packet_inside_the_window_is_accepted_once(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var late = Protect(sender, TestPackets.Rtp(Ssrc, 100));
        var lateCopy = late.ToArray();
        var newest = Protect(sender, TestPackets.Rtp(Ssrc, (ushort)(100 + SrtpSession.ReplayWindowSize - 1)));

        Assert.True(receiver.TryUnprotectRtp(newest, newest.Length, out _, out _));
        Assert.True(receiver.TryUnprotectRtp(late, late.Length, out _, out var error), error.ToString());
        Assert.False(receiver.TryUnprotectRtp(lateCopy, lateCopy.Length, out _, out error));
        Assert.Equal(SrtpError.Replayed, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_packet_behind_the_window_is_rejected_as_too_old(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var old = Protect(sender, TestPackets.Rtp(Ssrc, 100));
        var newest = Protect(sender, TestPackets.Rtp(Ssrc, (ushort)(100 + SrtpSession.ReplayWindowSize)));

        Assert.True(receiver.TryUnprotectRtp(newest, newest.Length, out _, out _));
        Assert.False(receiver.TryUnprotectRtp(old, old.Length, out _, out var error));
        Assert.Equal(SrtpError.TooOld, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void The_window_forgets_indices_it_slid_past(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var packets = Enumerable.Range(0, 1031).Select(i => Protect(sender, TestPackets.Rtp(Ssrc, (ushort)i))).ToArray();
        for (int index = 0; index < 10; index++)
        {
            Assert.True(receiver.TryUnprotectRtp(packets[index].ToArray(), packets[index].Length, out _, out _));
        }

        Assert.True(receiver.TryUnprotectRtp(packets[1030].ToArray(), packets[1030].Length, out _, out _));

        // 1025 shares its window slot with 1, which was received before the window slid past it.
        Assert.True(receiver.TryUnprotectRtp(packets[1025].ToArray(), packets[1025].Length, out _, out var error), error.ToString());
        Assert.False(receiver.TryUnprotectRtp(packets[8].ToArray(), packets[8].Length, out _, out error));
        Assert.Equal(SrtpError.Replayed, error);
        Assert.False(receiver.TryUnprotectRtp(packets[6].ToArray(), packets[6].Length, out _, out error));
        Assert.Equal(SrtpError.TooOld, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_tampered_tag_fails_authentication_and_leaves_the_window_alone(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var packet = Protect(sender, TestPackets.Rtp(Ssrc, 42));
        var tampered = packet.ToArray();
        tampered[^1] ^= 0x80;

        Assert.False(receiver.TryUnprotectRtp(tampered, tampered.Length, out _, out var error));
        Assert.Equal(SrtpError.AuthenticationFailed, error);
        Assert.True(receiver.TryUnprotectRtp(packet, packet.Length, out _, out error), error.ToString());
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_tampered_payload_fails_authentication(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var packet = Protect(sender, TestPackets.Rtp(Ssrc, 42));
        packet[20] ^= 0x01;

        Assert.False(receiver.TryUnprotectRtp(packet, packet.Length, out _, out var error));
        Assert.Equal(SrtpError.AuthenticationFailed, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_packet_under_other_keys_fails_authentication(SrtpProfile profile)
    {
        using var sender = new SrtpSession(profile, new byte[profile.KeyLength], new byte[profile.SaltLength]);
        using var receiver = TestPackets.Session(profile);
        var packet = Protect(sender, TestPackets.Rtp(Ssrc, 42));

        Assert.False(receiver.TryUnprotectRtp(packet, packet.Length, out _, out var error));
        Assert.Equal(SrtpError.AuthenticationFailed, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_forged_packet_creates_no_stream_state(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var forged = Protect(sender, TestPackets.Rtp(Ssrc, 40000));
        forged[^1] ^= 0x01;
        Assert.False(receiver.TryUnprotectRtp(forged, forged.Length, out _, out _));

        // Had the forgery set the stream's highest index to 40000, sequence number 1 would be guessed as roll-over 1.
        using var freshSender = TestPackets.Session(profile);
        var genuine = Protect(freshSender, TestPackets.Rtp(Ssrc, 1));
        Assert.True(receiver.TryUnprotectRtp(genuine, genuine.Length, out _, out var error), error.ToString());
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Streams_keep_separate_state_per_ssrc(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var first = Protect(sender, TestPackets.Rtp(1, 500));
        var second = Protect(sender, TestPackets.Rtp(2, 500));

        Assert.True(receiver.TryUnprotectRtp(first, first.Length, out _, out _));
        Assert.True(receiver.TryUnprotectRtp(second, second.Length, out _, out var error), error.ToString());
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void The_sender_may_protect_a_sequence_number_again_for_retransmission(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        Protect(sender, TestPackets.Rtp(Ssrc, 10));
        var first = Protect(sender, TestPackets.Rtp(Ssrc, 11));
        Protect(sender, TestPackets.Rtp(Ssrc, 12));

        Assert.Equal(first, Protect(sender, TestPackets.Rtp(Ssrc, 11)));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Truncated_packets_are_rejected(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var packet = Protect(sender, TestPackets.Rtp(Ssrc, 3));

        Assert.False(receiver.TryUnprotectRtp(packet, 0, out _, out var error));
        Assert.Equal(SrtpError.PacketTooShort, error);
        Assert.False(receiver.TryUnprotectRtp(packet, 12 + profile.RtpAuthTagLength - 1, out _, out error));
        Assert.Equal(SrtpError.PacketTooShort, error);
        Assert.False(receiver.TryUnprotectRtp(packet, packet.Length - 1, out _, out error));
        Assert.Equal(SrtpError.AuthenticationFailed, error);

        Assert.False(sender.TryProtectRtp(new byte[64], 11, out _, out error));
        Assert.Equal(SrtpError.PacketTooShort, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_header_that_is_not_rtp_version_2_or_overruns_the_packet_is_invalid(SrtpProfile profile)
    {
        using var session = TestPackets.Session(profile);
        var versionOne = TestPackets.Rtp(Ssrc, 1);
        versionOne[0] = 0x40;
        Assert.False(session.TryProtectRtp(versionOne, TestPackets.RtpLength(versionOne), out _, out var error));
        Assert.Equal(SrtpError.InvalidHeader, error);

        var longExtension = TestPackets.Rtp(Ssrc, 1, payloadLength: 8, extensionWords: 1);
        longExtension[15] = 200;
        Assert.False(session.TryProtectRtp(longExtension, TestPackets.RtpLength(longExtension), out _, out error));
        Assert.Equal(SrtpError.InvalidHeader, error);

        var manyCsrcs = TestPackets.Rtp(Ssrc, 1, payloadLength: 8);
        manyCsrcs[0] |= 0x0F;
        Assert.False(session.TryUnprotectRtp(manyCsrcs, TestPackets.RtpLength(manyCsrcs) + profile.RtpAuthTagLength, out _, out error));
        Assert.Equal(SrtpError.InvalidHeader, error);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Protect_needs_room_for_the_tag_and_a_length_within_the_buffer(SrtpProfile profile)
    {
        using var session = TestPackets.Session(profile);
        var buffer = TestPackets.Rtp(Ssrc, 1);
        int length = TestPackets.RtpLength(buffer);

        Assert.False(session.TryProtectRtp(buffer.AsSpan(0, length + profile.RtpOverhead - 1), length, out _, out var error));
        Assert.Equal(SrtpError.BufferTooSmall, error);
        Assert.False(session.TryProtectRtp(buffer, buffer.Length + 1, out _, out error));
        Assert.Equal(SrtpError.BufferTooSmall, error);
        Assert.False(session.TryProtectRtp(buffer, -1, out _, out error));
        Assert.Equal(SrtpError.BufferTooSmall, error);
        Assert.False(session.TryUnprotectRtp(buffer, buffer.Length + 1, out _, out error));
        Assert.Equal(SrtpError.BufferTooSmall, error);
    }

    private static byte[] Protect(SrtpSession sender, byte[] plain)
    {
        Assert.True(sender.TryProtectRtp(plain, TestPackets.RtpLength(plain), out int protectedLength, out var error), error.ToString());
        return plain[..protectedLength];
    }
}
