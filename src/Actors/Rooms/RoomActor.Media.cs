using Actors.Consumers;
using Actors.Media;
using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Peers;
using Actors.Producers;
using Akka.Actor;
using Akka.Event;
using MediaEngine.Consumers;
using MediaEngine.Producers;
using MediaEngine.Rtp;
using MediaEngine.RtpObservers;
using MediaEngine.Transports;

namespace Actors.Rooms;

/// <summary>
/// Producers and consumers: produce, and the consumers made of each producer for the other
/// peers; each producer is then a <see cref="ProducerActor"/> and each consumer a
/// <see cref="ConsumerActor"/> (their requests and notifications) whose decisions the room writes.
/// </summary>
public sealed partial class RoomActor
{
    /// <summary>A producer on the room's router: what consumers of it are made from.</summary>
    private sealed record LiveProducer(string Id, string Kind, ProducerType Type, RtpParameters ConsumableRtpParameters);

    private readonly Dictionary<string, LiveProducer> _liveProducers = new();
    private readonly Dictionary<string, RtpCapabilities> _peerRtpCapabilities = new();
    private readonly Dictionary<string, ConsumerMidAllocator> _midAllocators = new();

    private void RegisterMediaCommands()
    {
        Command<PeerRequestResult>(OnPeerRequestResult);
        Command<ConsumerLayersChanged>(changed => ToChild(changed.ConsumerId, changed));
        Command<ConsumerScore>(score => ToChild(score.ConsumerId, score));
        Command<AudioLevelObserverVolumes>(OnAudioLevelVolumes);
        Command<AudioLevelObserverSilence>(OnAudioLevelSilence);
    }

    private void OnProduce(PeerState peer, Produce produce, Action<CommandResult> reply) =>
        WithTransport(peer, produce.TransportId, reply, transport =>
        {
            if (TryReserve(peer, Quota.Producers, reply, out var reserved))
                CreateProducer(peer, transport, produce, reserved);
        });

    private void CreateProducer(PeerState peer, TransportDescription transport, Produce produce, Action<CommandResult> reply)
    {
        if (produce.Kind is not ("audio" or "video"))
        {
            reply(CommandResult.TypeError($"invalid kind \"{produce.Kind}\""));
            return;
        }
        RtpParameters rtpParameters, consumable;
        RtpMapping mapping;
        ProducerType type;
        try
        {
            rtpParameters = RtpParametersParser.Parse(produce.RtpParameters);
            if (_state.FindMember(peer.Id)?.FindTransport(transport.Id) is { } transportState)
                rtpParameters.Rtcp = rtpParameters.Rtcp with { Cname = ProducerCname.For(transportState, rtpParameters.Rtcp.Cname) };
            mapping = Ortc.GetProducerRtpParametersMapping(rtpParameters, _settings.RouterRtpCapabilities);
            type = Ortc.GetProducerType(rtpParameters);
            consumable = Ortc.GetConsumableRtpParameters(produce.Kind, rtpParameters, _settings.RouterRtpCapabilities, mapping);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            reply(CommandResult.Error(e.Message));
            return;
        }
        var appData = produce.AppData is { ValueKind: JsonValueKind.Object } given
            ? JsonNode.Parse(given.GetRawText())!.AsObject()
            : new JsonObject();
        // A broadcaster's producers have no appData (mediasoup-demo's HTTP produce passes none).
        if (_state.FindBroadcaster(peer.Id) is null)
            appData["peerId"] = peer.Id;
        var appDataElement = JsonSerializer.SerializeToElement(appData);
        var session = SessionOf(peer.Id);

        RunAfter(_router!.CreateProducerAsync(transport.Id, produce.Kind, type, rtpParameters, mapping, consumable, paused: false), producerId =>
        {
            var producer = new LiveProducer(producerId, produce.Kind, type, consumable);
            if (!Equals(SessionOf(peer.Id), session) || _state.FindMember(peer.Id)?.FindTransport(transport.Id) is null)
            {
                _ = _router?.CloseProducerAsync(producer.Id);
                reply(CommandResult.Error("peer closed"));
                return;
            }
            PersistThen([new ProducerCreated(peer.Id, producer.Id, transport.Id, produce.Kind, TypeName(type),
                JsonSerializer.SerializeToElement(rtpParameters, RtpJson.Options), appDataElement, false, DateTimeOffset.UtcNow)], () =>
            {
                _liveProducers[producer.Id] = producer;
                StartProducer(new ProducerSpec(producer.Id, peer.Id, Paused: false, session ?? ActorRefs.Nobody));
                _log.Info("room {0}: peer {1} produces {2} {3} ({4})", _roomId, peer.Id, produce.Kind, producer.Id, TypeName(type));
                reply(CommandResult.Ok(new { id = producer.Id }));
                foreach (var other in JoinedSessionPeers().Where(p => p.Id != peer.Id).ToList())
                    CreateConsumers(other.Id, producer.Id);
                if (producer.Kind == "audio")
                    ObserveAudioLevel(producer.Id);
            });
        }, reply);
    }

    /// <summary>
    /// The room's consumerReplicas (mediasoup-demo's load-testing switch, from the first peer's URL)
    /// make that many more consumers of every producer, each offered with its own newConsumer.
    /// </summary>
    private void CreateConsumers(string peerId, string producerId)
    {
        for (var copy = 0; copy <= _state.ConsumerReplicas; copy++)
            CreateConsumer(peerId, producerId);
    }

    /// <summary>
    /// A consumer of the producer for the peer, if it can consume it (rtpCapabilities sent at join,
    /// a consuming transport, compatible codecs); created paused and offered with newConsumer.
    /// </summary>
    private void CreateConsumer(string peerId, string producerId)
    {
        var peer = _state.FindPeer(peerId);
        var owner = _state.FindProducerAnywhere(producerId);
        if (peer is null || owner is null || !May(peerId, Permission.Consume) || !_peerRtpCapabilities.TryGetValue(peerId, out var capabilities)
            || !_liveProducers.TryGetValue(producerId, out var producer))
            return;
        var transportState = peer.Transports.FirstOrDefault(t => t.Consuming && _liveTransports.ContainsKey(t.Id));
        if (transportState is null || !Ortc.CanConsume(producer.ConsumableRtpParameters, capabilities))
            return;
        RtpParameters rtpParameters;
        try
        {
            rtpParameters = Ortc.GetConsumerRtpParameters(producer.ConsumableRtpParameters, capabilities, enableRtx: true);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            _log.Warning("room {0}: peer {1} cannot consume {2}: {3}", _roomId, peerId, producerId, e.Message);
            return;
        }
        if (TryTakePlace(peer, Quota.Consumers) is not { } release)
        {
            _log.Warning("room {0}: peer {1} does not consume {2}: {3}", _roomId, peerId, producerId, QuotaReached(Quota.Consumers));
            return;
        }
        if (!_midAllocators.TryGetValue(transportState.Id, out var mids))
            _midAllocators[transportState.Id] = mids = new ConsumerMidAllocator();
        rtpParameters.Mid = mids.Allocate();
        var session = SessionOf(peerId);

        RunAfter(_router!.CreateConsumerAsync(transportState.Id, producerId, rtpParameters, paused: true), consumerId =>
        {
            release();
            var current = _state.FindPeer(peerId);
            if (!Equals(SessionOf(peerId), session) || current?.FindTransport(transportState.Id) is null
                || _state.FindProducerAnywhere(producerId) is not { } source)
            {
                _ = _router?.CloseConsumerAsync(consumerId);
                return;
            }
            var rtpParametersJson = JsonSerializer.SerializeToElement(rtpParameters, RtpJson.Options);
            PersistThen([new ConsumerCreated(peerId, consumerId, producerId, transportState.Id, producer.Kind, TypeName(producer.Type), true, DateTimeOffset.UtcNow)
                { RtpParameters = rtpParametersJson }], () =>
                StartConsumer(new ConsumerSpec(consumerId, peerId, producerId, Paused: true, source.Producer.Paused, session!, JsonData.Of(new
                {
                    peerId = source.Peer.Id,
                    producerId,
                    id = consumerId,
                    kind = producer.Kind,
                    rtpParameters = rtpParametersJson,
                    type = TypeName(producer.Type),
                    appData = source.Producer.AppData,
                    producerPaused = source.Producer.Paused,
                }))));
        }, failure =>
        {
            release();
            _log.Warning("room {0}: consumer for {1} failed: {2}", _roomId, peerId, ((CommandFailure)failure).Message);
        });
    }

    /// <summary>A peer's answer to a server request: newConsumer's goes to its consumer.</summary>
    private void OnPeerRequestResult(PeerRequestResult result)
    {
        if (result.Correlation is { } consumerId)
            ToChild(consumerId, result);
    }

    /// <summary>The consumer's actor, which its router actor then delivers the consumer's media events to.</summary>
    private void StartConsumer(ConsumerSpec spec) =>
        StartChild(spec.ConsumerId, ConsumerActor.Props(spec, _router!, Self), $"consumer-{spec.ConsumerId}");

    private void StartProducer(ProducerSpec spec) =>
        StartChild(spec.ProducerId, ProducerActor.Props(spec, _router!, Self), $"producer-{spec.ProducerId}");

    /// <summary>A peer's request about one of its producers, for that producer's actor to run.</summary>
    private void ForwardToProducer(PeerState peer, string producerId, DelegatedRequest request)
    {
        if (peer.FindProducer(producerId) is not null && _children.TryGetValue(producerId, out var producer))
            producer.Tell(request);
        else
            Send(request.ReplyTo, request.Answer(ProducerActor.NotFound(producerId)));
    }

    /// <summary>A peer's request about one of its consumers, for that consumer's actor to run.</summary>
    private void ForwardToConsumer(PeerState peer, string consumerId, DelegatedRequest request)
    {
        if (peer.FindConsumer(consumerId) is not null && _children.TryGetValue(consumerId, out var consumer))
            consumer.Tell(request);
        else
            Send(request.ReplyTo, request.Answer(ConsumerActor.NotFound(consumerId)));
    }

    /// <summary>Adds an audio producer to the room's AudioLevelObserver, as mediasoup-demo does after produce.</summary>
    private void ObserveAudioLevel(string producerId)
    {
        if (_router is null || _audioLevelObserverId is null)
            return;
        RunAfter(_router.AddProducerToAudioLevelObserverAsync(_audioLevelObserverId, producerId), () => { },
            failure => _log.Warning("room {0}: audio level observer refused producer {1}: {2}", _roomId, producerId, ((CommandFailure)failure).Message));
    }

    /// <summary>mediasoup-demo's 'volumes' handler: the loudest producer's peer (its appData.peerId) and volume, to every joined peer.</summary>
    private void OnAudioLevelVolumes(AudioLevelObserverVolumes volumes)
    {
        if (volumes.ObserverId != _audioLevelObserverId || volumes.Volumes.Count == 0)
            return;
        var loudest = volumes.Volumes[0];
        var data = new JsonObject();
        // A producer without appData.peerId (a broadcaster's) gives {volume} only, as the demo sends it.
        if (_state.FindProducerAnywhere(loudest.ProducerId) is { } source
            && source.Producer.AppData.ValueKind == JsonValueKind.Object
            && source.Producer.AppData.TryGetProperty("peerId", out var peerId))
            data["peerId"] = JsonNode.Parse(peerId.GetRawText());
        data["volume"] = loudest.Volume;
        NotifyJoined("activeSpeaker", data, except: null);
    }

    /// <summary>mediasoup-demo's 'silence' handler: activeSpeaker with a null peerId (written as null, not left out).</summary>
    private void OnAudioLevelSilence(AudioLevelObserverSilence silence)
    {
        if (silence.ObserverId == _audioLevelObserverId)
            NotifyJoined("activeSpeaker", new JsonObject { ["peerId"] = null }, except: null);
    }

    /// <summary>After a departure: consumerClosed to the peers that consumed the departed producers.</summary>
    private void NotifyConsumersClosed(IEnumerable<IRoomEvent> events)
    {
        foreach (var closed in events.OfType<ConsumerClosed>())
            NotifyPeer(closed.PeerId, "consumerClosed", new { consumerId = closed.ConsumerId });
        foreach (var closed in events.OfType<DataConsumerClosed>())
            NotifyPeer(closed.PeerId, "dataConsumerClosed", new { dataConsumerId = closed.DataConsumerId });
    }

    private void ForgetMediaOf(string peerId)
    {
        _peerRtpCapabilities.Remove(peerId);
        var peer = _state.FindMember(peerId);
        if (peer is null)
            return;
        foreach (var producer in peer.Producers)
            _liveProducers.Remove(producer.Id);
        foreach (var consumer in peer.Consumers)
            StopChild(consumer.Id);
        foreach (var transport in peer.Transports)
        {
            _midAllocators.Remove(transport.Id);
            _sctpStreamIds.Remove(transport.Id);
        }
    }

    /// <summary>A late joiner consumes every producer already in the room.</summary>
    private void ConsumeExistingProducers(string peerId)
    {
        foreach (var other in JoinedSessionPeers().Where(p => p.Id != peerId).ToList())
        {
            foreach (var producer in other.Producers)
                CreateConsumers(peerId, producer.Id);
        }
        foreach (var producer in _state.Broadcasters.SelectMany(b => b.Media.Producers).ToList())
            CreateConsumers(peerId, producer.Id);
    }

    private void RememberRtpCapabilities(string peerId, JsonElement? rtpCapabilities)
    {
        if (rtpCapabilities is not { } json)
            return;
        try
        {
            _peerRtpCapabilities[peerId] = RtpCapabilitiesParser.Parse(json);
        }
        catch (ArgumentException e)
        {
            _log.Warning("room {0}: peer {1} sent invalid rtpCapabilities: {2}", _roomId, peerId, e.Message);
        }
    }

    private void NotifyPeer(string peerId, string method, object data)
    {
        if (SessionOf(peerId) is { } session)
            Send(session, new NotifyPeer(method, JsonData.Of(data)));
    }

    private static string TypeName(ProducerType type) => type switch
    {
        ProducerType.Simple => "simple",
        ProducerType.Simulcast => "simulcast",
        _ => "svc",
    };
}
