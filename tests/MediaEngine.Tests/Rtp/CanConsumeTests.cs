using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

/// <summary>protocol.md §7.6.</summary>
public class CanConsumeTests
{
    [Theory]
    [InlineData("video")]
    [InlineData("audio")]
    public void AppendixBClientCanConsumeAppendixBProducers(string kind)
    {
        var producerJson = kind == "video" ? AppendixB.Vp8SimulcastProducerJson : AppendixB.OpusProducerJson;

        Assert.True(Ortc.CanConsume(TestRtp.Consumable(kind, producerJson), TestRtp.ClientCapabilities()));
    }

    [Fact]
    public void ClientPayloadTypesAreNotCompared()
    {
        var clientCaps = TestRtp.Capabilities(
            """{"codecs":[{"mimeType":"video/VP8","preferredPayloadType":96,"clockRate":90000}]}""");

        Assert.True(Ortc.CanConsume(TestRtp.Consumable("video", AppendixB.Vp8SimulcastProducerJson), clientCaps));
    }

    [Theory]
    [InlineData("""{"codecs":[]}""")]
    [InlineData("""{"codecs":[{"mimeType":"video/H264","preferredPayloadType":107,"clockRate":90000,"parameters":{"packetization-mode":1}}]}""")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","preferredPayloadType":101,"clockRate":48000}]}""")]
    [InlineData("""{"codecs":[{"mimeType":"video/rtx","preferredPayloadType":102,"clockRate":90000,"parameters":{"apt":101}}]}""")]
    public void ClientWithoutTheProducersMediaCodecCannotConsume(string clientCapsJson) =>
        Assert.False(Ortc.CanConsume(
            TestRtp.Consumable("video", AppendixB.Vp8SimulcastProducerJson), TestRtp.Capabilities(clientCapsJson)));

    [Theory]
    [InlineData("2", true)]
    [InlineData("0", false)]
    public void Vp9ProfileMustMatch(string clientProfileId, bool expected)
    {
        var consumableParams = TestRtp.Consumable(
            "video",
            """{"mid":"0","codecs":[{"mimeType":"video/VP9","payloadType":98,"clockRate":90000,"parameters":{"profile-id":2}}]}""");
        var clientCaps = TestRtp.Capabilities(
            $$$"""{"codecs":[{"mimeType":"video/VP9","preferredPayloadType":103,"clockRate":90000,"parameters":{"profile-id":{{{clientProfileId}}}}}]}""");

        Assert.Equal(expected, Ortc.CanConsume(consumableParams, clientCaps));
    }

    [Theory]
    [InlineData("42e01f", true)]
    [InlineData("42e034", true)]
    [InlineData("4d0032", false)]
    public void H264ProfileMustMatch(string clientProfileLevelId, bool expected)
    {
        var consumableParams = TestRtp.Consumable(
            "video",
            """{"mid":"0","codecs":[{"mimeType":"video/H264","payloadType":102,"clockRate":90000,"parameters":{"packetization-mode":1,"profile-level-id":"42e01f"}}]}""");
        var clientCaps = TestRtp.Capabilities(
            $$$"""{"codecs":[{"mimeType":"video/H264","preferredPayloadType":107,"clockRate":90000,"parameters":{"packetization-mode":1,"profile-level-id":"{{{clientProfileLevelId}}}"}}]}""");

        Assert.Equal(expected, Ortc.CanConsume(consumableParams, clientCaps));
    }
}
