using Actors.Producers;
using Actors.Transports;
using Actors.Consumers;
using System.Globalization;
using Akka.Actor;
using Akka.Event;
using MediaEngine.Rtp;
using MediaEngine.Srtp;
using MediaEngine.Transports;

namespace Actors.Rooms;

/// <summary>
/// Broadcasters cannot reconnect by themselves as browsers do: ffmpeg keeps sending to the ports it
/// was given. So a recovered room binds its broadcasters' plain transports again, on the same ports
/// with the same settings, and re-creates their producers and plain consumers with the same ids and
/// RTP parameters, before it handles anything else (commands wait in the stash). Peers consume the
/// restored producers when they join again, as any producer.
/// </summary>
public sealed partial class RoomActor
{
    private sealed record MediaRestoreDone(PlainMediaRestored Restored);

    /// <summary>Why a broadcaster's transport did not come back, for the TransportClosed the recovery records.</summary>
    private readonly Dictionary<string, string> _restoreFailures = new();

    /// <summary>From <see cref="OnRecovered"/>: restores the broadcasters' plain media if there is any, holding other messages meanwhile.</summary>
    private void RestoreBroadcasterMedia()
    {
        if (_settings.MediaWorkers is null)
            return;
        var (transports, consumers) = PlanPlainMediaRestore();
        if (transports.Count == 0)
            return;
        _log.Info("room {0}: restoring {1} plain transport(s) of broadcasters", _roomId, transports.Count);
        BecomeStacked(() =>
        {
            Command<MediaContinuation>(RunContinuation);
            Command<MediaRestoreDone>(done => OnMediaRestored(done.Restored));
            CommandAny(_ => Stash.Stash());
        });
        var self = Self;
        WithRouter(
            failure => self.Tell(new MediaRestoreDone(new PlainMediaRestored([], [], [],
                transports.ToDictionary(t => t.TransportId, _ => $"no router: {((CommandFailure)failure).Message}")))),
            () => PlainMediaRestore.RunAsync(_router!, transports, consumers, transportEvent => self.Tell(transportEvent))
                .ContinueWith(done => self.Tell(new MediaRestoreDone(done.IsCompletedSuccessfully
                    ? done.Result
                    : new PlainMediaRestored([], [], [], transports.ToDictionary(t => t.TransportId, _ => done.Exception!.GetBaseException().Message)))),
                    TaskScheduler.Default));
    }

    /// <summary>The broadcasters' plain transports the journal knows enough of to bind again, with their producers, and the consumers on them.</summary>
    private (List<PlainTransportRestore> Transports, List<ConsumerRestore> Consumers) PlanPlainMediaRestore()
    {
        var transports = new List<PlainTransportRestore>();
        var consumers = new List<ConsumerRestore>();
        foreach (var broadcaster in _state.Broadcasters)
        {
            var media = broadcaster.Media;
            foreach (var transport in media.Transports)
            {
                if (transport.Plain is not { } plain)
                    continue;
                PlainTransportOptions options;
                PlainConnectRestore? connect = null;
                try
                {
                    var local = plain.SrtpCryptoSuite is null ? null : SrtpParameters.Parse(plain.SrtpCryptoSuite, plain.SrtpKeyBase64);
                    options = new PlainTransportOptions(plain.RtcpMux, plain.Comedia, local is not null, local?.Profile ?? SrtpParameters.DefaultProfile,
                        Port: plain.Port, RtcpPort: plain.RtcpPort, SrtpParameters: local);
                    if (plain.Connected)
                        connect = new PlainConnectRestore(plain.RemoteIp, plain.RemotePort, plain.RemoteRtcpPort,
                            plain.RemoteSrtpCryptoSuite is null ? null : SrtpParameters.Parse(plain.RemoteSrtpCryptoSuite, plain.RemoteSrtpKeyBase64));
                }
                catch (ArgumentException e)
                {
                    _restoreFailures[transport.Id] = $"SRTP keys not in the journal ({e.Message})";
                    continue;
                }
                var producers = new List<ProducerRestore>();
                foreach (var producer in media.Producers.Where(p => p.TransportId == transport.Id && p.RtpParameters is not null))
                {
                    try
                    {
                        var rtpParameters = RtpParametersParser.Parse(producer.RtpParameters!.Value);
                        var mapping = Ortc.GetProducerRtpParametersMapping(rtpParameters, _settings.RouterRtpCapabilities);
                        producers.Add(new ProducerRestore(producer.Id, producer.Kind, Ortc.GetProducerType(rtpParameters), rtpParameters, mapping,
                            Ortc.GetConsumableRtpParameters(producer.Kind, rtpParameters, _settings.RouterRtpCapabilities, mapping), producer.Paused));
                    }
                    catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
                    {
                        _restoreFailures[producer.Id] = e.Message;
                    }
                }
                transports.Add(new PlainTransportRestore(broadcaster.Id, transport.Id, options, connect, producers));
                foreach (var consumer in media.Consumers.Where(c => c.TransportId == transport.Id && c.RtpParameters is not null))
                {
                    try
                    {
                        consumers.Add(new ConsumerRestore(broadcaster.Id, consumer.Id, transport.Id, consumer.ProducerId,
                            RtpParametersParser.Parse(consumer.RtpParameters!.Value), consumer.Paused));
                    }
                    catch (ArgumentException e)
                    {
                        _restoreFailures[consumer.Id] = e.Message;
                    }
                }
            }
        }
        return (transports, consumers);
    }

    /// <summary>
    /// The restored media goes live; the recovery is journaled (transports that did not come back
    /// closed, with the reason), then what came back (<see cref="PlainTransportRestored"/>) and what of
    /// it did not (its producers and consumers closed); then the held messages run.
    /// </summary>
    private void OnMediaRestored(PlainMediaRestored restored)
    {
        foreach (var (plan, transport) in restored.Transports)
        {
            _liveTransports[transport.Id] = new LiveTransport(plan.OwnerId, transport);
            StartTransport(new TransportSpec(transport.Id, plan.OwnerId, ActorRefs.Nobody, _settings.MemberLimits.RestartIcePerMinute));
        }
        foreach (var producer in restored.Producers)
        {
            _liveProducers[producer.Id] = new LiveProducer(producer.Id, producer.Kind, producer.Type, producer.ConsumableRtpParameters);
            if (_state.FindProducerAnywhere(producer.Id) is var (owner, state))
                StartProducer(new ProducerSpec(producer.Id, owner.Id, state.Paused, ActorRefs.Nobody));
        }
        foreach (var consumer in restored.Consumers)
            StartConsumer(new ConsumerSpec(consumer.Id, consumer.OwnerId, consumer.ProducerId, consumer.Paused,
                _state.FindProducerAnywhere(consumer.ProducerId)?.Producer.Paused ?? false, ActorRefs.Nobody, Offer: null));
        foreach (var (id, why) in restored.Failures)
        {
            _restoreFailures[id] = why;
            _log.Warning("room {0}: {1} not restored: {2}", _roomId, id, why);
        }
        foreach (var group in restored.Consumers.GroupBy(c => c.TransportId))
        {
            var lastMid = group.Select(c => int.TryParse(c.RtpParameters.Mid, NumberStyles.None, CultureInfo.InvariantCulture, out var mid) ? mid : -1).Max();
            if (lastMid + 1 is > 0 and < ConsumerMidAllocator.Capacity)
                _midAllocators[group.Key] = new ConsumerMidAllocator(lastMid + 1);
        }

        RecordRecoveryThen(() =>
        {
            var now = DateTimeOffset.UtcNow;
            var events = new List<IRoomEvent>();
            var owners = restored.Transports.Select(t => _state.FindMember(t.Plan.OwnerId)).OfType<PeerState>().DistinctBy(o => o.Id).ToList();
            var restoredIds = restored.Transports.Select(t => t.Transport.Id).ToHashSet();
            var lostProducers = owners.SelectMany(o => o.Producers.Where(p => restoredIds.Contains(p.TransportId) && !_liveProducers.ContainsKey(p.Id))
                .Select(p => (Owner: o, Producer: p))).ToList();
            foreach (var (owner, lost) in lostProducers)
            {
                events.AddRange(_state.ConsumersOf(lost.Id).Select(c => (IRoomEvent)new ConsumerClosed(c.Peer.Id, c.Consumer.Id, "producer closed", now)));
                events.Add(new ProducerClosed(owner.Id, lost.Id, $"not restored: {_restoreFailures.GetValueOrDefault(lost.Id, "its RTP parameters are not in the journal")}", now));
            }
            var lostProducerIds = lostProducers.Select(p => p.Producer.Id).ToHashSet();
            foreach (var owner in owners)
                events.AddRange(owner.Consumers
                    .Where(c => restoredIds.Contains(c.TransportId) && !_children.ContainsKey(c.Id) && !lostProducerIds.Contains(c.ProducerId))
                    .Select(c => (IRoomEvent)new ConsumerClosed(owner.Id, c.Id,
                        $"not restored: {_restoreFailures.GetValueOrDefault(c.Id, "its RTP parameters are not in the journal")}", now)));
            events.AddRange(restored.Transports.Select(t => new PlainTransportRestored(t.Plan.OwnerId, t.Transport.Id, t.Transport.Port, t.Transport.RtcpPort,
                [.. t.Plan.Producers.Select(p => p.Id).Where(_liveProducers.ContainsKey)],
                [.. restored.Consumers.Where(c => c.TransportId == t.Transport.Id).Select(c => c.Id)], now)));
            PersistThen(events, () =>
            {
                foreach (var restoredTransport in events.OfType<PlainTransportRestored>())
                    _log.Info("room {0}: broadcaster {1}'s plain transport {2} restored on port {3} with {4} producer(s) and {5} consumer(s)", _roomId,
                        restoredTransport.PeerId, restoredTransport.TransportId, restoredTransport.Port, restoredTransport.ProducerIds.Count, restoredTransport.ConsumerIds.Count);
                foreach (var producer in restored.Producers.Where(p => p.Kind == "audio"))
                    ObserveAudioLevel(producer.Id);
                Context.UnbecomeStacked();
                Stash.UnstashAll();
            });
        });
    }
}
