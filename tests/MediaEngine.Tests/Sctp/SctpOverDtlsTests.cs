using System.Diagnostics;
using MediaEngine.Dtls;
using MediaEngine.Sctp;
using MediaEngine.Tests.Dtls;
using static MediaEngine.Tests.Dtls.DtlsTestSupport;

namespace MediaEngine.Tests.Sctp;

/// <summary>SCTP packets as the application data of two DTLS transports back to back (RFC 8261), with DCEP on top.</summary>
public sealed class SctpOverDtlsTests : IDisposable
{
    private readonly DtlsTransport _clientDtls = new(ClientCertificate, FastOptions);
    private readonly DtlsTransport _serverDtls = new(ServerCertificate, FastOptions);
    private readonly SctpAssociation _client = new();
    private readonly SctpAssociation _server = new();
    private readonly List<SctpEvent> _clientEvents = [];
    private readonly List<SctpEvent> _serverEvents = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly byte[] _packet = new byte[1200];

    public SctpOverDtlsTests()
    {
        _ = new DtlsWire(_clientDtls, _serverDtls);
        _clientDtls.Start(DtlsRole.Client, Sha256Of(ServerCertificate));
        _serverDtls.Start(DtlsRole.Server, Sha256Of(ClientCertificate));
        WaitForState(_clientDtls, DtlsState.Connected);
        WaitForState(_serverDtls, DtlsState.Connected);
    }

    public void Dispose()
    {
        _clientDtls.Dispose();
        _serverDtls.Dispose();
    }

    [Fact]
    public void DataChannel_OpensAndCarriesMessages()
    {
        _client.Connect(_clock.Elapsed);
        WaitFor(() => Pump() && _client.State == SctpState.Connected && _server.State == SctpState.Connected, "SCTP to connect");

        var stream = new SctpStreamParameters(1);
        var open = stream.ToDataChannelOpen("chat", "");
        Assert.Equal(SctpSendStatus.Queued, _client.SendMessage(1, (uint)DataChannelPpid.Dcep, open.ToArray(), ordered: true, null, null, _clock.Elapsed));
        WaitFor(() => Pump() && Received(_serverEvents).Any(), "DATA_CHANNEL_OPEN");
        var openEvent = Received(_serverEvents).Single();
        Assert.Equal((uint)DataChannelPpid.Dcep, openEvent.Ppid);
        Assert.True(DataChannelOpenMessage.TryParse(openEvent.Payload, out var parsed));
        Assert.Equal(open, parsed);
        Assert.Equal(stream, SctpStreamParameters.FromDataChannelOpen(openEvent.StreamId, parsed));

        _server.SendMessage(1, (uint)DataChannelPpid.Dcep, DataChannelOpenMessage.AckMessage, ordered: true, null, null, _clock.Elapsed);
        var big = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        _client.SendMessage(stream, (uint)DataChannelPpid.Binary, big, _clock.Elapsed);
        _client.SendMessage(stream, (uint)DataChannelPpid.StringEmpty, DataChannelPpids.EmptyMessagePayload, _clock.Elapsed);
        WaitFor(() => Pump() && Received(_serverEvents).Count == 3 && Received(_clientEvents).Count == 1, "messages");

        Assert.True(DataChannelOpenMessage.IsAck(Received(_clientEvents).Single().Payload));
        Assert.Equal(big, Received(_serverEvents)[1].Payload);
        Assert.True(DataChannelPpids.IsEmptyMessage(Received(_serverEvents)[2].Ppid));
    }

    private static List<SctpEvent> Received(List<SctpEvent> events) => events.Where(e => e.Kind == SctpEventKind.MessageReceived).ToList();

    /// <summary>Moves packets and events once; always true, to be chained before a condition.</summary>
    private bool Pump()
    {
        Move(_client, _clientDtls, _clientEvents);
        Move(_server, _serverDtls, _serverEvents);
        return true;
    }

    private void Move(SctpAssociation association, DtlsTransport dtls, List<SctpEvent> events)
    {
        while (dtls.TryDequeueApplicationData(out byte[]? data))
        {
            association.HandleIncoming(data, _clock.Elapsed);
        }

        if (association.NextTimeout <= _clock.Elapsed)
        {
            association.HandleTimeout(_clock.Elapsed);
        }

        while (association.TryDequeueEvent(out var sctpEvent))
        {
            events.Add(sctpEvent);
        }

        while (association.TryDequeueOutgoing(_packet, out int length))
        {
            Assert.True(dtls.Send(_packet.AsSpan(0, length)));
        }
    }
}
