using System.Net.Sockets;
using Actors.Media;
using MediaEngine.Producers;
using MediaEngine.Rtp;
using MediaEngine.Srtp;
using MediaEngine.Transports;

namespace Actors.Rooms;

/// <summary>A broadcaster's plain transport to bind again after a restart: its ports and keys, its connect, its producers.</summary>
internal sealed record PlainTransportRestore(
    string OwnerId,
    string TransportId,
    PlainTransportOptions Options,
    PlainConnectRestore? Connect,
    IReadOnlyList<ProducerRestore> Producers);

/// <summary>The connect the transport had: remote address (none with comedia) and the remote's SRTP keys.</summary>
internal sealed record PlainConnectRestore(string? Ip, int? Port, int? RtcpPort, SrtpParameters? RemoteSrtp);

internal sealed record ProducerRestore(string Id, string Kind, ProducerType Type, RtpParameters RtpParameters, RtpMapping Mapping,
    RtpParameters ConsumableRtpParameters, bool Paused);

internal sealed record ConsumerRestore(string OwnerId, string Id, string TransportId, string ProducerId, RtpParameters RtpParameters, bool Paused);

/// <summary>What came back (transports as created, producers and consumers by plan), and why the rest did not (by transport, producer or consumer id).</summary>
internal sealed record PlainMediaRestored(
    IReadOnlyList<(PlainTransportRestore Plan, PlainTransportDescription Transport)> Transports,
    IReadOnlyList<ProducerRestore> Producers,
    IReadOnlyList<ConsumerRestore> Consumers,
    IReadOnlyDictionary<string, string> Failures);

/// <summary>
/// Re-creates a broadcaster's plain media on the room's new router after a restart: transports on
/// their recorded ports (with their keys and connect), then their producers, then the consumers on
/// them, all with their recorded ids. What fails is reported, not thrown: the room closes it.
/// </summary>
internal static class PlainMediaRestore
{
    /// <summary>A room actor that failed and restarted closes its old router while the new one binds: the ports free up shortly.</summary>
    private static readonly TimeSpan BindRetryDelay = TimeSpan.FromMilliseconds(200);

    private const int BindAttempts = 10;

    public static async Task<PlainMediaRestored> RunAsync(IRouterGateway router, IReadOnlyList<PlainTransportRestore> transports,
        IReadOnlyList<ConsumerRestore> consumers, Action<TransportEvent> onEvent)
    {
        var restoredTransports = new List<(PlainTransportRestore, PlainTransportDescription)>();
        var producers = new List<ProducerRestore>();
        var restoredConsumers = new List<ConsumerRestore>();
        var failures = new Dictionary<string, string>();
        foreach (var plan in transports)
        {
            PlainTransportDescription transport;
            try
            {
                transport = await BindAsync(router, plan, onEvent);
            }
            catch (Exception e)
            {
                failures[plan.TransportId] = e is SocketException socket
                    ? $"port {plan.Options.Port}{(plan.Options.RtcpPort is { } rtcp ? $"/{rtcp}" : "")} not available: {socket.Message}"
                    : e.GetBaseException().Message;
                continue;
            }
            if (plan.Connect is { } connect)
            {
                try
                {
                    await router.ConnectPlainTransportAsync(transport.Id, connect.Ip, connect.Port, connect.RtcpPort, connect.RemoteSrtp);
                }
                catch (Exception e)
                {
                    failures[plan.TransportId] = $"connect: {e.GetBaseException().Message}";
                    await router.CloseTransportAsync(transport.Id);
                    continue;
                }
            }
            restoredTransports.Add((plan, transport));
            foreach (var producer in plan.Producers)
            {
                try
                {
                    await router.CreateProducerAsync(transport.Id, producer.Kind, producer.Type, producer.RtpParameters, producer.Mapping,
                        producer.ConsumableRtpParameters, producer.Paused, producer.Id);
                    producers.Add(producer);
                }
                catch (Exception e)
                {
                    failures[producer.Id] = e.GetBaseException().Message;
                }
            }
        }
        foreach (var consumer in consumers)
        {
            var transport = restoredTransports.FirstOrDefault(t => t.Item2.Id == consumer.TransportId).Item2;
            if (transport is null)
                failures[consumer.Id] = "its transport was not restored";
            else if (producers.All(p => p.Id != consumer.ProducerId))
                failures[consumer.Id] = "its producer was not restored";
            else
            {
                try
                {
                    await router.CreateConsumerAsync(transport.Id, consumer.ProducerId, consumer.RtpParameters, consumer.Paused, consumer.Id);
                    restoredConsumers.Add(consumer);
                }
                catch (Exception e)
                {
                    failures[consumer.Id] = e.GetBaseException().Message;
                }
            }
        }
        return new PlainMediaRestored(restoredTransports, producers, restoredConsumers, failures);
    }

    private static async Task<PlainTransportDescription> BindAsync(IRouterGateway router, PlainTransportRestore plan, Action<TransportEvent> onEvent)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await router.CreatePlainTransportAsync(plan.Options, onEvent, plan.TransportId);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < BindAttempts)
            {
                await Task.Delay(BindRetryDelay);
            }
        }
    }
}
