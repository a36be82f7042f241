using System.Text.Json;
using Actors.Media;
using Akka.Actor;
using MediaEngine.Producers;
using MediaEngine.Rtp;
using MediaEngine.Transports;

namespace Actors.Tests;

/// <summary>Real routers on real media workers, for the tests of the actors that drive them by id.</summary>
public static class TestRouters
{
    /// <summary>A router with an Opus producer (SSRC 1111) on a plain transport: the producer's id and what consumers of it are made from.</summary>
    public static async Task<(IRouterGateway Router, string ProducerId, RtpParameters Consumable)> WithOpusProducerAsync(ActorSystem system)
    {
        var workers = system.ActorOf(MediaWorkersActor.Props(TestConfig.Media));
        var router = (await workers.Ask<RouterCreated>(new CreateRouter("r1", ActorRefs.Nobody))).Router;
        var capabilities = TestConfig.Settings().RouterRtpCapabilities;
        var parameters = RtpParametersParser.Parse(JsonDocument.Parse("""
            {"codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2}],"encodings":[{"ssrc":1111}]}
            """).RootElement);
        var mapping = Ortc.GetProducerRtpParametersMapping(parameters, capabilities);
        var consumable = Ortc.GetConsumableRtpParameters("audio", parameters, capabilities, mapping);
        var ingest = await router.CreatePlainTransportAsync(new PlainTransportOptions(), _ => { });
        var producerId = await router.CreateProducerAsync(ingest.Id, "audio", ProducerType.Simple, parameters, mapping, consumable, paused: false);
        return (router, producerId, consumable);
    }
}
