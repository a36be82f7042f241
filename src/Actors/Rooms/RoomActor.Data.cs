using Actors.Media;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Peers;
using Akka.Actor;
using Akka.Event;
using MediaEngine.Sctp;
using MediaEngine.Transports;

namespace Actors.Rooms;

/// <summary>DataChannels: produceData, data consumers for chat and late joiners, and the room's Bot (protocol.md §5).</summary>
public sealed partial class RoomActor
{
    private const string NewDataConsumer = "newDataConsumer";
    private const uint StringPpid = 51;

    /// <summary>A message a peer sent to the Bot (its 'bot' data producer), delivered on the worker thread.</summary>
    private sealed record BotMessage(string PeerId, uint Ppid, byte[] Payload);

    private readonly Dictionary<string, HashSet<int>> _sctpStreamIds = new();
    private string? _botDataProducerId;

    private void RegisterDataCommands() => Command<BotMessage>(OnBotMessage);

    private void HandleDataRequest(PeerState peer, IPeerRequest request, Action<CommandResult> reply)
    {
        switch (request)
        {
            case ProduceData produce:
                WithTransport(peer, produce.TransportId, reply, transport =>
                {
                    if (TryReserve(peer, Quota.DataProducers, reply, out var reserved))
                        CreateDataProducer(peer, transport, produce, reserved);
                });
                break;
            case DataStatsRequest { Method: "getDataProducerStats" } stats:
                if (peer.FindDataProducer(stats.Id) is null || _router is null)
                    reply(CommandResult.Error($"dataProducer with id \"{stats.Id}\" not found"));
                else
                    RunAfter(_router.GetDataProducerStatsAsync(stats.Id), s => reply(CommandResult.Ok(s)), reply);
                break;
            case DataStatsRequest stats:
                if (peer.FindDataConsumer(stats.Id) is null || _router is null)
                    reply(CommandResult.Error($"dataConsumer with id \"{stats.Id}\" not found"));
                else
                    RunAfter(_router.GetDataConsumerStatsAsync(stats.Id), s => reply(CommandResult.Ok(s)), reply);
                break;
        }
    }

    private void CreateDataProducer(PeerState peer, WebRtcTransportDescription transport, ProduceData produce, Action<CommandResult> reply)
    {
        if (peer.FindTransport(transport.Id)?.Sctp is null)
        {
            reply(CommandResult.Error("SCTP not enabled by remote Transport"));
            return;
        }
        SctpStreamParameters stream;
        try
        {
            stream = ParseStreamParameters(produce.SctpStreamParameters);
        }
        catch (ArgumentException e)
        {
            reply(CommandResult.TypeError(e.Message));
            return;
        }
        var appData = produce.AppData ?? JsonSerializer.SerializeToElement(new { });
        var session = SessionOf(peer.Id);
        RunAfter(_router!.CreateDataProducerAsync(transport.Id, stream, produce.Label, produce.Protocol), dataProducerId =>
        {
            if (!Equals(SessionOf(peer.Id), session) || _state.FindMember(peer.Id)?.FindTransport(transport.Id) is null)
            {
                _ = _router?.CloseDataProducerAsync(dataProducerId);
                reply(CommandResult.Error("peer closed"));
                return;
            }
            PersistThen([new DataProducerCreated(peer.Id, dataProducerId, transport.Id, produce.Label, produce.Protocol,
                JsonSerializer.SerializeToElement(StreamParametersJson(stream)), appData, DateTimeOffset.UtcNow)], () =>
            {
                reply(CommandResult.Ok(new { id = dataProducerId }));
                switch (produce.Label)
                {
                    // A broadcaster's data producer reaches later joiners only, as in mediasoup-demo.
                    case "chat" when _state.FindBroadcaster(peer.Id) is null:
                        foreach (var other in JoinedSessionPeers().Where(p => p.Id != peer.Id).ToList())
                            CreateDataConsumer(other.Id, dataProducerId);
                        break;
                    case "bot":
                        var self = Self;
                        var producerPeerId = peer.Id;
                        _ = _router!.CreateDataConsumerAsync(dataProducerId, null, null,
                            (ppid, payload) => self.Tell(new BotMessage(producerPeerId, ppid, payload)));
                        break;
                }
            });
        }, reply);
    }

    /// <summary>
    /// A data consumer of a peer's data producer (or of the Bot's when <paramref name="dataProducerId"/> is it)
    /// for the peer, if it sent sctpCapabilities and has a consuming transport with SCTP; offered with newDataConsumer.
    /// </summary>
    private void CreateDataConsumer(string peerId, string dataProducerId)
    {
        var peer = _state.FindPeer(peerId);
        if (peer is not { SctpCapabilities: not null } || _router is null || !May(peerId, Permission.Data))
            return;
        var transportState = peer.Transports.FirstOrDefault(t => t.Consuming && t.Sctp is not null && _liveTransports.ContainsKey(t.Id));
        if (transportState is null)
            return;
        var isBot = dataProducerId == _botDataProducerId;
        (PeerState Peer, DataProducerState? DataProducer)? source = isBot ? null : _state.Members.Select(p => (Peer: p, DataProducer: p.FindDataProducer(dataProducerId))).FirstOrDefault(x => x.DataProducer is not null);
        if (!isBot && source?.DataProducer is null)
            return;
        var producerStream = source?.DataProducer is { } dp ? ParseStreamParameters(dp.SctpStreamParameters) : null;
        if (TryTakePlace(peer, Quota.DataConsumers) is not { } release)
        {
            _log.Warning("room {0}: peer {1} does not consume data producer {2}: {3}", _roomId, peerId, dataProducerId, QuotaReached(Quota.DataConsumers));
            return;
        }
        var streamId = AllocateSctpStream(transportState);
        if (streamId < 0)
        {
            release();
            _log.Warning("room {0}: no sctpStreamId available on transport {1}", _roomId, transportState.Id);
            return;
        }
        var stream = new SctpStreamParameters((ushort)streamId, producerStream?.Ordered ?? true, producerStream?.MaxPacketLifeTime, producerStream?.MaxRetransmits);
        var label = isBot ? "bot" : source!.Value.DataProducer!.Label;
        var protocol = isBot ? "" : source!.Value.DataProducer!.Protocol;
        var appData = isBot ? JsonSerializer.SerializeToElement(new { }) : source!.Value.DataProducer!.AppData;
        var session = SessionOf(peerId);
        RunAfter(_router.CreateDataConsumerAsync(dataProducerId, transportState.Id, stream), dataConsumerId =>
        {
            release();
            if (!Equals(SessionOf(peerId), session) || _state.FindPeer(peerId)?.FindTransport(transportState.Id) is null)
            {
                ReleaseSctpStream(transportState.Id, streamId);
                return;
            }
            PersistThen([new DataConsumerCreated(peerId, dataConsumerId, dataProducerId, transportState.Id, label, streamId, DateTimeOffset.UtcNow)], () =>
                // A JsonObject keeps "peerId": null for the Bot (protocol.md §3.2), which wire JSON would otherwise drop.
                Send(session!, new RequestPeer(NewDataConsumer, JsonData.Of(new JsonObject
                {
                    ["peerId"] = isBot ? null : source!.Value.Peer.Id,
                    ["dataProducerId"] = dataProducerId,
                    ["id"] = dataConsumerId,
                    ["sctpStreamParameters"] = StreamParametersJson(stream),
                    ["label"] = label,
                    ["protocol"] = protocol,
                    ["appData"] = JsonSerializer.SerializeToNode(appData),
                }), dataConsumerId)));
        }, failure =>
        {
            release();
            ReleaseSctpStream(transportState.Id, streamId);
        });
    }

    /// <summary>join: every data producer already there except the 'bot' ones, then the Bot's.</summary>
    private void ConsumeExistingDataProducers(string peerId) => WithBot(() =>
    {
        foreach (var other in JoinedSessionPeers().Where(p => p.Id != peerId).ToList())
        {
            foreach (var dataProducer in other.DataProducers.Where(d => d.Label != "bot"))
                CreateDataConsumer(peerId, dataProducer.Id);
        }
        foreach (var dataProducer in _state.Broadcasters.SelectMany(b => b.Media.DataProducers).Where(d => d.Label != "bot").ToList())
            CreateDataConsumer(peerId, dataProducer.Id);
        if (_botDataProducerId is not null)
            CreateDataConsumer(peerId, _botDataProducerId);
    });

    /// <summary>The Bot's direct data producer exists once the room has a router.</summary>
    private void WithBot(Action then)
    {
        if (_router is null || _botDataProducerId is not null)
        {
            then();
            return;
        }
        RunAfter(_router.CreateDataProducerAsync(null, null, "bot", ""), botId =>
        {
            _botDataProducerId ??= botId;
            then();
        }, _ => then());
    }

    /// <summary>The Bot answers every string message with "&lt;displayName&gt; said me: "&lt;text&gt;"" to the whole room.</summary>
    private void OnBotMessage(BotMessage message)
    {
        if (message.Ppid != StringPpid || _botDataProducerId is null || _router is null)
            return;
        var name = _state.FindPeer(message.PeerId)?.DisplayName ?? message.PeerId;
        var reply = $"{name} said me: \"{Encoding.UTF8.GetString(message.Payload)}\"";
        _ = _router.SendDirectAsync(_botDataProducerId, StringPpid, Encoding.UTF8.GetBytes(reply));
    }

    /// <summary>First free stream id after the last one given, modulo the transport's MIS (protocol.md §7.9).</summary>
    private int AllocateSctpStream(TransportState transport)
    {
        if (!_sctpStreamIds.TryGetValue(transport.Id, out var used))
            _sctpStreamIds[transport.Id] = used = new HashSet<int>();
        var count = transport.Sctp!.MIS;
        var start = used.Count == 0 ? 0 : (used.Max() + 1) % count;
        for (var i = 0; i < count; i++)
        {
            var candidate = (start + i) % count;
            if (used.Add(candidate))
                return candidate;
        }
        return -1;
    }

    private void ReleaseSctpStream(string transportId, int streamId)
    {
        if (_sctpStreamIds.TryGetValue(transportId, out var used))
            used.Remove(streamId);
    }

    private static SctpStreamParameters ParseStreamParameters(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("streamId", out var id) || id.ValueKind != JsonValueKind.Number
            || !id.TryGetUInt16(out var streamId) || streamId > 65534)
            throw new ArgumentException("missing or invalid sctpStreamParameters.streamId");
        bool? ordered = json.TryGetProperty("ordered", out var o) && o.ValueKind is JsonValueKind.True or JsonValueKind.False ? o.GetBoolean() : null;
        ushort? Optional(string name) => !json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            ? null
            : value.ValueKind == JsonValueKind.Number && value.TryGetUInt16(out var number)
                ? number
                : throw new ArgumentException($"invalid sctpStreamParameters.{name}");
        var lifeTime = Optional("maxPacketLifeTime");
        var retransmits = Optional("maxRetransmits");
        return SctpStreamParameters.FromMediasoup(streamId, ordered, lifeTime, retransmits);
    }

    /// <summary>mediasoup's sctpStreamParameters: maxPacketLifeTime / maxRetransmits absent when unset.</summary>
    private static JsonObject StreamParametersJson(SctpStreamParameters stream)
    {
        var json = new JsonObject { ["streamId"] = stream.StreamId, ["ordered"] = stream.Ordered };
        if (stream.MaxPacketLifeTime is { } lifeTime)
            json["maxPacketLifeTime"] = lifeTime;
        if (stream.MaxRetransmits is { } retransmits)
            json["maxRetransmits"] = retransmits;
        return json;
    }
}
