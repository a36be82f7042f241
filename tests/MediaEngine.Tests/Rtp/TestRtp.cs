using System.Text.Json;
using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

/// <summary>Shorthands for the RTP objects the negotiation tests start from.</summary>
internal static class TestRtp
{
    /// <summary>The demo router's capabilities (Appendix A).</summary>
    public static RtpCapabilities RouterCapabilities() => Ortc.GenerateRouterRtpCapabilities(DemoConfig.MediaCodecs());

    /// <summary>The Appendix B browser's receive capabilities.</summary>
    public static RtpCapabilities ClientCapabilities() => Capabilities(AppendixB.ClientRtpCapabilitiesJson);

    public static RtpCapabilities Capabilities(string json) => RtpCapabilitiesParser.Parse(Json(json));

    public static RtpParameters Parameters(string json) => RtpParametersParser.Parse(Json(json));

    /// <summary>Maps a producer to the demo router and returns its consumable parameters.</summary>
    public static RtpParameters Consumable(string kind, string producerJson, Func<uint>? randomSsrc = null)
    {
        var routerCaps = RouterCapabilities();
        var producerParams = Parameters(producerJson);
        var mapping = Ortc.GetProducerRtpParametersMapping(producerParams, routerCaps, randomSsrc);
        return Ortc.GetConsumableRtpParameters(kind, producerParams, routerCaps, mapping);
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;
}
