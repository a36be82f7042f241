using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using MediaEngine.Codecs;
using MediaEngine.Ice;
using MediaEngine.Rtcp;
using MediaEngine.Rtp;
using MediaEngine.Rtp.Packets;
using MediaEngine.Sctp;
using MediaEngine.Srtp;
using Signaling;
using Signaling.Http;
using Signaling.Protoo;
using MediaEngine.Dtls;

namespace Fuzz;

/// <summary>
/// What a client can send us, parsed as the server parses it: each target takes any bytes and must
/// return without an exception (the JSON targets may refuse with the exception their callers catch).
/// AFL runs them through SharpFuzz (scripts/fuzz.sh); the test suite runs them over the seeds and
/// mutations of them for a few seconds.
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["stun"] = Stun,
        ["rtp"] = Rtp,
        ["rtcp"] = Rtcp,
        ["srtp"] = Srtp,
        ["srtcp"] = Srtcp,
        ["sctp"] = Sctp,
        ["dcep"] = Dcep,
        ["protoo"] = Protoo,
        ["rtp-parameters"] = RtpParametersJson,
        ["http-bodies"] = HttpBodies,
        ["dtls-record"] = DtlsRecord,
    };

    private static readonly byte[] IntegrityKey = Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBt");
    private static readonly byte[] SrtpKey = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
    private static readonly byte[] SrtpSalt = Enumerable.Range(101, 14).Select(i => (byte)i).ToArray();
    /// <summary>Made on first use, not by the type's initializer: instrumented code must not run before SharpFuzz sets up.</summary>
    private static ClientLimits? _limits;

    public static void Stun(byte[] input)
    {
        if (!StunMessageReader.TryParse(input, out var message))
            return;
        _ = (message.Class, message.Method, message.HasUseCandidate);
        foreach (var attribute in message.Attributes)
            _ = attribute;
        message.TryGetUsername(out _);
        message.TryGetPriority(out _);
        message.TryGetIceControlling(out _);
        message.TryGetIceControlled(out _);
        message.TryGetXorMappedAddress(out _);
        message.TryGetErrorCode(out _, out _);
        message.VerifyMessageIntegrity(IntegrityKey);
        message.VerifyFingerprint();
    }

    public static void Rtp(byte[] input)
    {
        var packet = input.ToArray();
        if (!RtpPacket.TryParse(packet, out var rtp))
            return;
        _ = (rtp.Ssrc, rtp.SequenceNumber, rtp.Timestamp);
        Vp8PayloadDescriptor.TryParse(rtp.Payload, out _);
        Vp9PayloadDescriptor.TryParse(rtp.Payload, out _);
    }

    public static void Rtcp(byte[] input)
    {
        foreach (var packet in new CompoundPacket(input))
        {
            SenderReportPacket.TryParse(packet, out _);
            ReceiverReportPacket.TryParse(packet, out _);
            SdesPacket.TryParse(packet, out _);
            ByePacket.TryParse(packet, out _);
            FeedbackPsPliPacket.TryParse(packet, out _);
            FeedbackPsFirPacket.TryParse(packet, out _);
            FeedbackPsRembPacket.TryParse(packet, out _);
            FeedbackRtpNackPacket.TryParse(packet, out _);
            FeedbackRtpTransportPacket.TryParse(packet, out _);
        }
    }

    public static void Srtp(byte[] input)
    {
        var session = new SrtpSession(SrtpProfile.AesCm128HmacSha1_80, SrtpKey, SrtpSalt);
        var packet = input.ToArray();
        session.TryUnprotectRtp(packet, packet.Length, out _, out _);
    }

    public static void Srtcp(byte[] input)
    {
        var session = new SrtpSession(SrtpProfile.AesCm128HmacSha1_80, SrtpKey, SrtpSalt);
        var packet = input.ToArray();
        session.TryUnprotectRtcp(packet, packet.Length, out _, out _);
    }

    /// <summary>
    /// A listening association: the packet (its checksum made right, so mutations reach the chunks),
    /// then whatever it answers and reports.
    /// </summary>
    public static void Sctp(byte[] input)
    {
        var packet = input.ToArray();
        if (packet.Length >= SctpCommonHeader.Length)
            SctpPacketChecksum.Write(packet);
        var association = new SctpAssociation();
        association.HandleIncoming(packet, TimeSpan.Zero);
        var buffer = new byte[65_536];
        while (association.TryDequeueOutgoing(buffer, out _))
        {
        }
        while (association.TryDequeueEvent(out _))
        {
        }
    }

    public static void Dcep(byte[] input) => DataChannelOpenMessage.TryParse(input, out _);

    /// <summary>A protoo message as the connection reads it, and a request as it becomes a room command.</summary>
    public static void Protoo(byte[] input)
    {
        if (ProtooMessage.Parse(input) is ProtooRequest request)
            ProtooRequestMapper.Map(request.Method, request.Data, _limits ??= new ClientLimits());
    }

    /// <summary>
    /// rtpParameters and rtpCapabilities as a room reads them from produce and join; they refuse with
    /// ArgumentException. Only valid UTF-8 gets that far (protoo frames are checked, HTTP bodies decoded).
    /// </summary>
    public static void RtpParametersJson(byte[] input)
    {
        if (!Utf8.IsValid(input))
            return;
        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(input);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return;
        }
        try
        {
            RtpParametersParser.Parse(json);
        }
        catch (ArgumentException)
        {
        }
        try
        {
            RtpCapabilitiesParser.Parse(json);
        }
        catch (ArgumentException)
        {
        }
    }

    /// <summary>
    /// A broadcaster API body as the server reads it: decoded as UTF-8 (invalid bytes replaced, as the
    /// request reader does), parsed, its fields checked, then read by the route the first byte picks.
    /// Malformed JSON and bodies the route does not take are refused with the exceptions the API answers 400 for.
    /// </summary>
    public static void HttpBodies(byte[] input)
    {
        if (input.Length == 0)
            return;
        JsonElement body;
        try
        {
            body = BroadcasterBodies.ParseJson(Encoding.UTF8.GetString(input, 1, input.Length - 1));
        }
        catch (JsonException)
        {
            return;
        }
        try
        {
            (_limits ??= new ClientLimits()).CheckFields(body);
            _ = (input[0] % 7) switch
            {
                0 => BroadcasterBodies.CreateBroadcaster(body),
                1 => BroadcasterBodies.CreateTransport("b", body),
                2 => BroadcasterBodies.ConnectPlain(body),
                3 => BroadcasterBodies.Produce("t", body),
                4 => BroadcasterBodies.ProduceData("t", body),
                5 => BroadcasterBodies.ConsumeData(body),
                _ => (object)ProtooRequestMapper.ParseConnect(body, "t"),
            };
        }
        catch (ArgumentException)
        {
        }
    }

    /// <summary>The screen every datagram classified as DTLS passes before the DTLS library sees it.</summary>
    public static void DtlsRecord(byte[] input) => DtlsRecordFraming.IsWellFormed(input);
}
