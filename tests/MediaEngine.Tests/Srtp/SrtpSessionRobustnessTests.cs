using MediaEngine.Srtp;

namespace MediaEngine.Tests.Srtp;

public class SrtpSessionRobustnessTests
{
    public static TheoryData<SrtpProfile> Profiles => TestPackets.Profiles;

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Random_input_is_refused_without_throwing(SrtpProfile profile)
    {
        using var session = TestPackets.Session(profile);
        var random = new Random(7);
        var buffer = new byte[300];

        for (int attempt = 0; attempt < 2000; attempt++)
        {
            random.NextBytes(buffer);
            if (attempt % 2 == 0)
            {
                buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F));
            }

            int length = random.Next(0, buffer.Length + 1);
            Assert.False(session.TryUnprotectRtp(buffer, length, out _, out var rtpError));
            Assert.NotEqual(SrtpError.None, rtpError);
            Assert.False(session.TryUnprotectRtcp(buffer, length, out _, out var rtcpError));
            Assert.NotEqual(SrtpError.None, rtcpError);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Protecting_and_unprotecting_allocates_nothing_once_a_stream_exists(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var rtp = TestPackets.Rtp(0xA110C, 0, payloadLength: 1200);
        var rtcp = TestPackets.Rtcp(0xA110C);
        RoundTrips(sender, receiver, rtp, rtcp, firstSequenceNumber: 0, count: 100);

        SteadyState.AssertAllocatesNothing(window =>
            RoundTrips(sender, receiver, rtp, rtcp, firstSequenceNumber: 100 + window * 1000, count: 1000));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_forged_packet_is_refused_without_allocating(SrtpProfile profile)
    {
        using var sender = TestPackets.Session(profile);
        using var receiver = TestPackets.Session(profile);
        var rtp = TestPackets.Rtp(0xF0F0, 1, payloadLength: 1200);
        Assert.True(sender.TryProtectRtp(rtp, TestPackets.RtpLength(rtp), out int protectedLength, out _));
        rtp[protectedLength - 1] ^= 0x01;
        var forged = rtp[..protectedLength];
        Assert.False(receiver.TryUnprotectRtp(rtp, protectedLength, out _, out _));

        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int attempt = 0; attempt < 1000; attempt++)
            {
                forged.CopyTo(rtp, 0);
                if (receiver.TryUnprotectRtp(rtp, protectedLength, out _, out var error) || error != SrtpError.AuthenticationFailed)
                {
                    Assert.Fail($"Attempt {attempt}: {error}.");
                }
            }
        });
    }

    private static void RoundTrips(SrtpSession sender, SrtpSession receiver, byte[] rtp, byte[] rtcp, int firstSequenceNumber, int count)
    {
        int rtpLength = TestPackets.RtpLength(rtp);
        int rtcpLength = TestPackets.RtcpLength(rtcp);
        for (int sequenceNumber = firstSequenceNumber; sequenceNumber < firstSequenceNumber + count; sequenceNumber++)
        {
            rtp[2] = (byte)(sequenceNumber >> 8);
            rtp[3] = (byte)sequenceNumber;
            if (!sender.TryProtectRtp(rtp, rtpLength, out int protectedLength, out _)
                || !receiver.TryUnprotectRtp(rtp, protectedLength, out _, out _)
                || !sender.TryProtectRtcp(rtcp, rtcpLength, out protectedLength, out _)
                || !receiver.TryUnprotectRtcp(rtcp, protectedLength, out _, out _))
            {
                Assert.Fail($"Round trip {sequenceNumber} failed.");
            }
        }
    }
}
