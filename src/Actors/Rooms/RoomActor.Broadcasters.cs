using Actors.Consumers;
using Actors.Transports;
using Actors.Media;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Actors.Peers;
using MediaEngine.Rtp;
using MediaEngine.Sctp;
using MediaEngine.Srtp;
using MediaEngine.Transports;

namespace Actors.Rooms;

/// <summary>
/// Broadcasters (protocol.md §4): HTTP clients that appear to peers as peers. Their transports,
/// producers and data producers go through the same paths as protoo peers' (their media is a
/// <see cref="PeerState"/> in <see cref="BroadcasterState.Media"/>), plus what only the HTTP API
/// has: PlainTransports, consume with the parameters in the answer, and the seed's routes.
/// </summary>
public sealed partial class RoomActor
{
    private void RegisterBroadcasterCommands()
    {
        Command<CreateBroadcaster>(OnCreateBroadcaster);
        Command<DeleteBroadcaster>(OnDeleteBroadcaster);
        Command<CreateBroadcasterWebRtcTransport>(create =>
        {
            var reply = ReplyToSender();
            WithBroadcaster(create.BroadcasterId, reply, broadcaster =>
            {
                if (TryReserve(broadcaster.Media, Quota.Transports, reply, out var reserved))
                    WithRouter(reserved, () => CreateBroadcasterWebRtcTransport(broadcaster, create, reserved));
            });
        });
        Command<CreateBroadcasterPlainTransport>(create =>
        {
            var reply = ReplyToSender();
            WithBroadcaster(create.BroadcasterId, reply, broadcaster =>
            {
                if (TryTakePlainTransportPlace(reply) is not { } place)
                    return;
                Action<CommandResult> replyOnce = result =>
                {
                    place.ReleaseIfPending();
                    reply(result);
                };
                if (TryReserve(broadcaster.Media, Quota.Transports, replyOnce, out var reserved))
                    WithRouter(reserved, () => CreateBroadcasterPlainTransport(broadcaster, create, place, reserved));
            });
        });
        Command<BroadcasterTransportRequest>(OnBroadcasterTransportRequest);
        Command<PeerConsumeData>(OnPeerConsumeData);
        Command<GetDataChannelDirectory>(_ => Send(Sender, CommandResult.Ok(DataChannelDirectory())));
    }

    private Action<CommandResult> ReplyToSender()
    {
        var replyTo = Sender;
        return result => Send(replyTo, result);
    }

    private void WithBroadcaster(string broadcasterId, Action<CommandResult> reply, Action<BroadcasterState> action)
    {
        if (_state.FindBroadcaster(broadcasterId) is { } broadcaster)
            action(broadcaster);
        else
            reply(CommandResult.Error($"broadcaster with id \"{broadcasterId}\" does not exist"));
    }

    private void OnCreateBroadcaster(CreateBroadcaster create)
    {
        var reply = ReplyToSender();
        if (_state.FindBroadcaster(create.Id) is not null || _state.FindPeer(create.Id) is not null)
        {
            reply(CommandResult.Error($"broadcaster with id \"{create.Id}\" already exists"));
            return;
        }
        // As mediasoup's router.canConsume(), capabilities it cannot read consume nothing rather than fail.
        RtpCapabilities? capabilities = null;
        if (create.RtpCapabilities is { } json)
        {
            try
            {
                capabilities = RtpCapabilitiesParser.Parse(json);
            }
            catch (ArgumentException e)
            {
                _log.Warning("room {0}: broadcaster {1} sent rtpCapabilities we cannot read: {2}", _roomId, create.Id, e.Message);
            }
        }
        if (TryTakeBroadcasterPlace(reply) is not { } place)
            return;
        place.HandOver(create.Id);
        PersistThen([new BroadcasterCreated(create.Id, create.DisplayName, create.Device, create.RtpCapabilities, DateTimeOffset.UtcNow)], () =>
        {
            _log.Info("room {0}: broadcaster {1} created", _roomId, create.Id);
            NotifyJoined("newPeer", new { id = create.Id, displayName = create.DisplayName, device = create.Device }, except: null);
            var peers = create.RtpCapabilities is null
                ? []
                : JoinedSessionPeers().Select(p => (object)new
                {
                    id = p.Id,
                    displayName = p.DisplayName,
                    device = p.Device,
                    producers = p.Producers
                        .Where(producer => capabilities is not null && _liveProducers.TryGetValue(producer.Id, out var live) && CanConsume(live.ConsumableRtpParameters, capabilities))
                        .Select(producer => new { id = producer.Id, kind = producer.Kind })
                        .ToList(),
                }).ToList();
            reply(CommandResult.Ok(new { peers }));
        });
    }

    /// <summary>Closes its transports (peers get consumerClosed for its producers), then peerClosed; the room stays.</summary>
    private void OnDeleteBroadcaster(DeleteBroadcaster delete)
    {
        var reply = ReplyToSender();
        WithBroadcaster(delete.Id, reply, broadcaster =>
        {
            var now = DateTimeOffset.UtcNow;
            var departure = RoomRules.ProducerDeparture(_state, broadcaster.Id, "broadcaster deleted", now);
            ForgetMediaOf(broadcaster.Id);
            CloseTransportsOf(broadcaster.Id);
            PersistThen([.. departure, new BroadcasterDeleted(broadcaster.Id, now)], () =>
            {
                _log.Info("room {0}: broadcaster {1} deleted", _roomId, broadcaster.Id);
                NotifyJoined("peerClosed", new { peerId = broadcaster.Id }, except: null);
                NotifyConsumersClosed(departure);
                reply(CommandResult.Text("broadcaster deleted"));
            });
        });
    }

    private void CreateBroadcasterWebRtcTransport(BroadcasterState broadcaster, CreateBroadcasterWebRtcTransport create, Action<CommandResult> reply)
    {
        if (!TrySctpStreamCounts(create.SctpCapabilities, reply, out var sctp))
            return;
        // mediasoup-demo limits the incoming bitrate of its peers' transports only.
        var options = new WebRtcTransportOptions(EnableUdp: true, EnableTcp: true, IceConsentTimeout: _settings.IceConsentTimeout,
            SctpStreams: sctp is null ? null : (sctp.OS, sctp.MIS), InitialAvailableOutgoingBitrate: _settings.InitialAvailableOutgoingBitrate);
        var router = _router!;
        var events = _routerActor!;
        RunAfter(router.CreateWebRtcTransportAsync(options, events.Tell), transport =>
        {
            if (_state.FindBroadcaster(broadcaster.Id) is null || _router != router)
            {
                _ = router.CloseTransportAsync(transport.Id);
                reply(CommandResult.Error($"broadcaster with id \"{broadcaster.Id}\" does not exist"));
                return;
            }
            PersistThen([new TransportCreated(broadcaster.Id, transport.Id, false, true, true, sctp, DateTimeOffset.UtcNow)], () =>
            {
                _liveTransports[transport.Id] = new LiveTransport(broadcaster.Id, transport);
                StartTransport(new TransportSpec(transport.Id, broadcaster.Id, ActorRefs.Nobody, _settings.MemberLimits.RestartIcePerMinute));
                _log.Info("room {0}: broadcaster {1} created WebRTC transport {2}", _roomId, broadcaster.Id, transport.Id);
                reply(CommandResult.Ok(TransportJson.WebRtcTransport(transport)));
            });
        }, reply);
    }

    private void CreateBroadcasterPlainTransport(BroadcasterState broadcaster, CreateBroadcasterPlainTransport create, NodePlace place, Action<CommandResult> reply)
    {
        var profile = SrtpParameters.DefaultProfile;
        if (create.EnableSrtp && create.SrtpCryptoSuite is not null && !SrtpProfile.TryParseMediasoupName(create.SrtpCryptoSuite, out profile))
        {
            reply(CommandResult.TypeError($"invalid/unsupported srtpCryptoSuite \"{create.SrtpCryptoSuite}\""));
            return;
        }
        var self = Self;
        var options = new PlainTransportOptions(create.RtcpMux, create.Comedia, create.EnableSrtp, profile);
        var router = _router!;
        RunAfter(router.CreatePlainTransportAsync(options, transportEvent => self.Tell(transportEvent)), transport =>
        {
            if (_state.FindBroadcaster(broadcaster.Id) is null || _router != router)
            {
                _ = router.CloseTransportAsync(transport.Id);
                reply(CommandResult.Error($"broadcaster with id \"{broadcaster.Id}\" does not exist"));
                return;
            }
            place.HandOver(transport.Id);
            PersistThen([new PlainTransportCreated(broadcaster.Id, transport.Id, transport.RtcpMux, transport.Comedia,
                transport.LocalSrtpParameters?.CryptoSuite, transport.Port, transport.RtcpPort, DateTimeOffset.UtcNow)
                { SrtpKeyBase64 = transport.LocalSrtpParameters?.KeyBase64 }], () =>
            {
                _liveTransports[transport.Id] = new LiveTransport(broadcaster.Id, transport);
                StartTransport(new TransportSpec(transport.Id, broadcaster.Id, ActorRefs.Nobody, _settings.MemberLimits.RestartIcePerMinute));
                _log.Info("room {0}: broadcaster {1} created plain transport {2} on port {3}{4}", _roomId, broadcaster.Id, transport.Id,
                    transport.Port, transport.RtcpPort is { } rtcp ? $" (RTCP {rtcp})" : "");
                var answer = new JsonObject { ["id"] = transport.Id, ["ip"] = transport.Ip, ["port"] = transport.Port };
                if (transport.RtcpPort is { } rtcpPort)
                    answer["rtcpPort"] = rtcpPort;
                if (transport.LocalSrtpParameters is { } srtp)
                    answer["srtpParameters"] = TransportJson.SrtpParameters(srtp);
                reply(CommandResult.Ok(answer));
            });
        }, reply);
    }

    private void OnBroadcasterTransportRequest(BroadcasterTransportRequest request)
    {
        var reply = ReplyToSender();
        WithBroadcaster(request.BroadcasterId, reply, broadcaster =>
        {
            if (request.Request is MalformedRequest { Method: "createTransport" } badTransport)
            {
                reply(CommandResult.TypeError(badTransport.Error));
                return;
            }
            if (request.Request is ConsumeProducer or ConsumeDataProducer && broadcaster.RtpCapabilities is null)
            {
                reply(CommandResult.Error("broadcaster does not have rtpCapabilities"));
                return;
            }
            var member = broadcaster.Media;
            if (member.FindTransport(request.TransportId) is null || !_liveTransports.TryGetValue(request.TransportId, out var live) || _router is null)
            {
                reply(CommandResult.Error($"transport with id \"{request.TransportId}\" does not exist"));
                return;
            }
            switch (request.Request)
            {
                case ConnectWebRtcTransport connect when live.Transport is WebRtcTransportDescription:
                    ForwardToTransport(member, request.TransportId, new DelegatedRequest(null, connect, Sender));
                    break;
                case ConnectWebRtcTransport:
                    reply(CommandResult.Error($"transport with id \"{request.TransportId}\" is not a WebRtcTransport"));
                    break;
                case ConnectPlainTransport connect when live.Transport is PlainTransportDescription:
                    ForwardToTransport(member, request.TransportId, new DelegatedRequest(null, connect, Sender));
                    break;
                case ConnectPlainTransport:
                    reply(CommandResult.Error($"transport with id \"{request.TransportId}\" is not a PlainTransport"));
                    break;
                case Produce produce:
                    if (TryReserve(member, Quota.Producers, reply, out var reservedProducer))
                        CreateProducer(member, live.Transport, produce, reservedProducer);
                    break;
                case ConsumeProducer consume:
                    if (TryReserve(member, Quota.Consumers, reply, out var reservedConsumer))
                        ConsumeForBroadcaster(broadcaster, live.Transport, consume.ProducerId, reservedConsumer);
                    break;
                case ConsumeDataProducer consume:
                    if (TryReserve(member, Quota.DataConsumers, reply, out var reservedDataConsumer))
                        ConsumeData(member, live.Transport, consume.DataProducerId, reservedDataConsumer);
                    break;
                case ProduceData produce when live.Transport is WebRtcTransportDescription webRtc:
                    if (TryReserve(member, Quota.DataProducers, reply, out var reservedDataProducer))
                        CreateDataProducer(member, webRtc, produce, reservedDataProducer);
                    break;
                case ProduceData:
                    reply(CommandResult.Error("SCTP not enabled by remote Transport"));
                    break;
                case MalformedRequest malformed:
                    reply(CommandResult.TypeError(malformed.Error));
                    break;
                default:
                    reply(CommandResult.Error($"unsupported request {request.Request.GetType().Name}"));
                    break;
            }
        });
    }

    /// <summary>Route 7: a consumer created unpaused, without notifications; the caller gets its parameters.</summary>
    private void ConsumeForBroadcaster(BroadcasterState broadcaster, TransportDescription transport, string producerId, Action<CommandResult> reply)
    {
        if (!_liveProducers.TryGetValue(producerId, out var producer) || _state.FindProducerAnywhere(producerId) is null)
        {
            reply(CommandResult.Error($"producer with id \"{producerId}\" not found"));
            return;
        }
        RtpParameters rtpParameters;
        try
        {
            var capabilities = RtpCapabilitiesParser.Parse(broadcaster.RtpCapabilities!.Value);
            if (!Ortc.CanConsume(producer.ConsumableRtpParameters, capabilities))
            {
                reply(CommandResult.Error("not allowed to consume"));
                return;
            }
            // mediasoup's default, which the demo's broadcaster consume relies on: RTX (and NACK) for video only.
            rtpParameters = Ortc.GetConsumerRtpParameters(producer.ConsumableRtpParameters, capabilities, enableRtx: producer.Kind == "video");
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            reply(CommandResult.Error(e.Message));
            return;
        }
        if (!_midAllocators.TryGetValue(transport.Id, out var mids))
            _midAllocators[transport.Id] = mids = new ConsumerMidAllocator();
        rtpParameters.Mid = mids.Allocate();
        RunAfter(_router!.CreateConsumerAsync(transport.Id, producerId, rtpParameters, paused: false), consumerId =>
        {
            if (_state.FindBroadcaster(broadcaster.Id)?.Media.FindTransport(transport.Id) is null || _state.FindProducerAnywhere(producerId) is null)
            {
                _ = _router?.CloseConsumerAsync(consumerId);
                reply(CommandResult.Error($"producer with id \"{producerId}\" not found"));
                return;
            }
            var rtpParametersJson = JsonSerializer.SerializeToElement(rtpParameters, RtpJson.Options);
            PersistThen([new ConsumerCreated(broadcaster.Id, consumerId, producerId, transport.Id, producer.Kind, TypeName(producer.Type), false, DateTimeOffset.UtcNow)
                { RtpParameters = rtpParametersJson }], () =>
            {
                StartConsumer(new ConsumerSpec(consumerId, broadcaster.Id, producerId, Paused: false,
                    _state.FindProducerAnywhere(producerId)?.Producer.Paused ?? false, ActorRefs.Nobody, Offer: null));
                _log.Info("room {0}: broadcaster {1} consumes {2}", _roomId, broadcaster.Id, producerId);
                reply(CommandResult.Ok(new
                {
                    id = consumerId,
                    producerId,
                    kind = producer.Kind,
                    rtpParameters = rtpParametersJson,
                    type = TypeName(producer.Type),
                }));
            });
        }, reply);
    }

    /// <summary>Routes 8 and the seed's peer route: a data consumer of any data producer of the room (or the Bot's) on the given transport; answers {id, streamId}.</summary>
    private void ConsumeData(PeerState owner, TransportDescription transport, string dataProducerId, Action<CommandResult> reply)
    {
        var transportState = owner.FindTransport(transport.Id);
        if (transport is not WebRtcTransportDescription || transportState?.Sctp is null)
        {
            reply(CommandResult.Error("SCTP not enabled by remote Transport"));
            return;
        }
        var source = _state.Members.Select(m => (Member: m, DataProducer: m.FindDataProducer(dataProducerId))).FirstOrDefault(x => x.DataProducer is not null);
        var isBot = dataProducerId == _botDataProducerId;
        if (source.DataProducer is null && !isBot)
        {
            reply(CommandResult.Error($"dataProducer with id \"{dataProducerId}\" not found"));
            return;
        }
        var producerStream = source.DataProducer is { } dp ? ParseStreamParameters(dp.SctpStreamParameters) : null;
        var streamId = AllocateSctpStream(transportState);
        if (streamId < 0)
        {
            reply(CommandResult.Error("no sctpStreamId available"));
            return;
        }
        var stream = new SctpStreamParameters((ushort)streamId, producerStream?.Ordered ?? true, producerStream?.MaxPacketLifeTime, producerStream?.MaxRetransmits);
        var label = source.DataProducer?.Label ?? "bot";
        RunAfter(_router!.CreateDataConsumerAsync(dataProducerId, transport.Id, stream), dataConsumerId =>
        {
            if (_state.FindMember(owner.Id)?.FindTransport(transport.Id) is null)
            {
                ReleaseSctpStream(transport.Id, streamId);
                reply(CommandResult.Error($"transport with id \"{transport.Id}\" does not exist"));
                return;
            }
            PersistThen([new DataConsumerCreated(owner.Id, dataConsumerId, dataProducerId, transport.Id, label, streamId, DateTimeOffset.UtcNow)], () =>
                reply(CommandResult.Ok(new { id = dataConsumerId, streamId })));
        }, failure =>
        {
            ReleaseSctpStream(transport.Id, streamId);
            reply(failure);
        });
    }

    /// <summary>The seed's POST /rooms/:roomId/peerId/:peerId/transports/:transportId/consume/data: a protoo peer or a broadcaster.</summary>
    private void OnPeerConsumeData(PeerConsumeData request)
    {
        var reply = ReplyToSender();
        var broadcaster = _state.FindBroadcaster(request.PeerId);
        var member = JoinedSessionPeers().FirstOrDefault(p => p.Id == request.PeerId) ?? broadcaster?.Media;
        if (member is null)
        {
            reply(CommandResult.Error($"peer with id \"{request.PeerId}\" does not exist"));
            return;
        }
        if (broadcaster is { RtpCapabilities: null })
        {
            reply(CommandResult.Error("broadcaster does not have rtpCapabilities"));
            return;
        }
        if (member.FindTransport(request.TransportId) is null || !_liveTransports.TryGetValue(request.TransportId, out var live) || _router is null)
        {
            reply(CommandResult.Error($"transport with id \"{request.TransportId}\" does not exist"));
            return;
        }
        if (TryReserve(member, Quota.DataConsumers, reply, out var reserved))
            ConsumeData(member, live.Transport, request.DataProducerId, reserved);
    }

    /// <summary>The seed's data-channel directory: joined peers and broadcasters with their transports, data producers and chat data consumers.</summary>
    private object DataChannelDirectory()
    {
        var members = _state.Members.ToList();
        JsonObject ChatConsumer(DataConsumerState consumer)
        {
            var (producerOwner, producer) = members.Select(m => (m, m.FindDataProducer(consumer.DataProducerId))).FirstOrDefault(x => x.Item2 is not null);
            var stream = producer is null ? new JsonObject() : JsonNode.Parse(producer.SctpStreamParameters.GetRawText())!.AsObject();
            stream["streamId"] = consumer.StreamId;
            return new JsonObject
            {
                ["id"] = consumer.Id,
                ["sctpStreamParameters"] = stream,
                ["label"] = consumer.Label,
                ["protocol"] = producer?.Protocol ?? "",
                ["dataProducerId"] = consumer.DataProducerId,
                ["displayName"] = producerOwner?.DisplayName,
                ["AppData"] = producer is null ? new JsonObject() : JsonNode.Parse(producer.AppData.GetRawText()),
            };
        }
        var peers = JoinedSessionPeers().Concat(_state.Broadcasters.Select(b => b.Media)).Select(p => new JsonObject
        {
            ["id"] = p.Id,
            ["displayName"] = p.DisplayName,
            ["device"] = p.Device is { } device ? JsonNode.Parse(device.GetRawText()) : null,
            ["transports"] = new JsonArray([.. p.Transports.Select(t => (JsonNode)new JsonObject { ["id"] = t.Id })]),
            ["dataProducers"] = new JsonArray([.. p.DataProducers.Select(d => (JsonNode)new JsonObject { ["id"] = d.Id, ["label"] = d.Label, ["protocol"] = d.Protocol })]),
            ["dataConsumers"] = new JsonArray([.. p.DataConsumers.Where(c => c.Label == "chat").Select(c => (JsonNode)ChatConsumer(c))]),
        });
        return new JsonObject { ["peers"] = new JsonArray([.. peers]) };
    }

    private static bool CanConsume(RtpParameters consumable, RtpCapabilities capabilities)
    {
        try
        {
            return Ortc.CanConsume(consumable, capabilities);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return false;
        }
    }

}
