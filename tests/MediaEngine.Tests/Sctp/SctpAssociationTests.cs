using System.Buffers.Binary;
using MediaEngine.Sctp;

namespace MediaEngine.Tests.Sctp;

public class SctpAssociationTests
{
    private const uint BinaryPpid = (uint)DataChannelPpid.Binary;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static SctpTestLink Connected(int seed = 1, SctpAssociationOptions? clientOptions = null, SctpAssociationOptions? serverOptions = null)
    {
        var link = new SctpTestLink(seed, clientOptions, serverOptions);
        link.Connect();
        Assert.True(link.Run(() => link.Client.State == SctpState.Connected && link.Server.State == SctpState.Connected, Minute));
        return link;
    }

    private static List<SctpEvent> Messages(List<SctpEvent> events) => events.Where(e => e.Kind == SctpEventKind.MessageReceived).ToList();

    private static byte[] Numbered(int number, int length = 8)
    {
        var payload = new byte[length];
        BinaryPrimitives.WriteInt32BigEndian(payload, number);
        return payload;
    }

    [Fact]
    public void Handshake_ConnectsBothSidesAndNegotiatesStreams()
    {
        var link = new SctpTestLink(serverOptions: new SctpAssociationOptions { OutboundStreams = 16, MaxInboundStreams = 2048 });
        Assert.Equal(SctpState.New, link.Client.State);
        link.Connect();
        Assert.Equal(SctpState.Connecting, link.Client.State);
        Assert.True(link.Run(() => link.Client.State == SctpState.Connected && link.Server.State == SctpState.Connected, Minute));

        Assert.Contains(link.ClientEvents, e => e.Kind == SctpEventKind.Connected);
        Assert.Contains(link.ServerEvents, e => e.Kind == SctpEventKind.Connected);
        Assert.Equal((ushort)1024, link.Client.OutboundStreams);
        Assert.Equal((ushort)16, link.Client.InboundStreams);
        Assert.Equal((ushort)16, link.Server.OutboundStreams);
        Assert.Equal((ushort)1024, link.Server.InboundStreams);
    }

    [Fact]
    public void Handshake_SurvivesLossDuplicationAndReordering()
    {
        for (int seed = 1; seed <= 20; seed++)
        {
            var link = new SctpTestLink(seed) { LossRate = 0.3, DuplicateRate = 0.2, ReorderRate = 0.3 };
            link.Connect();
            Assert.True(link.Run(() => link.Client.State == SctpState.Connected && link.Server.State == SctpState.Connected, Minute), $"seed {seed}");
        }
    }

    [Fact]
    public void Handshake_SimultaneousOpen_Connects()
    {
        var link = new SctpTestLink();
        link.Client.Connect(link.Now);
        link.Server.Connect(link.Now);
        Assert.True(link.Run(() => link.Client.State == SctpState.Connected && link.Server.State == SctpState.Connected, Minute));
        link.Client.SendMessage(1, BinaryPpid, "ping"u8, ordered: true, null, null, link.Now);
        Assert.True(link.Run(() => Messages(link.ServerEvents).Count == 1, Minute));
    }

    [Fact]
    public void Handshake_InitNeverAnswered_Fails()
    {
        var link = new SctpTestLink { Filter = (_, _) => true };
        link.Connect();
        Assert.True(link.Run(() => link.Client.State == SctpState.Failed, TimeSpan.FromMinutes(10)));
        Assert.Contains(link.ClientEvents, e => e.Kind == SctpEventKind.Aborted && e.Reason == "INIT unanswered");
        Assert.Null(link.Client.NextTimeout);
    }

    [Fact]
    public void OrderedReliable_TenThousandMessagesArriveCompleteAndInOrder()
    {
        var link = Connected(seed: 7);
        link.LossRate = 0.05;
        link.DuplicateRate = 0.02;
        link.ReorderRate = 0.05;
        int sent = 0;
        const int total = 10_000;
        while (sent < total)
        {
            while (sent < total && link.Client.SendMessage(3, BinaryPpid, Numbered(sent, 100), ordered: true, null, null, link.Now) == SctpSendStatus.Queued)
            {
                sent++;
            }

            link.Run(() => link.Client.BufferedAmount == 0, TimeSpan.FromMilliseconds(50));
        }

        Assert.True(link.Run(() => Messages(link.ServerEvents).Count == total, TimeSpan.FromMinutes(5)));
        var received = Messages(link.ServerEvents);
        for (int i = 0; i < total; i++)
        {
            Assert.Equal(3, received[i].StreamId);
            Assert.Equal(BinaryPpid, received[i].Ppid);
            Assert.Equal(Numbered(i, 100), received[i].Payload);
        }

        Assert.True(link.Client.Counters.Retransmissions > 0);
        Assert.True(link.Server.Counters.DuplicateDataChunks > 0);
    }

    [Fact]
    public void LargeMessage_ArrivesIntactThroughALossyLink()
    {
        var link = Connected(seed: 3);
        link.LossRate = 0.1;
        link.ReorderRate = 0.1;
        var payload = Enumerable.Range(0, 100 * 1024).Select(i => (byte)(i * 7 + (i >> 8))).ToArray();
        Assert.Equal(SctpSendStatus.Queued, link.Client.SendMessage(5, BinaryPpid, payload, ordered: true, null, null, link.Now));

        Assert.True(link.Run(() => Messages(link.ServerEvents).Count == 1, Minute));
        Assert.Equal(payload, Messages(link.ServerEvents)[0].Payload);
        Assert.True(link.Run(() => link.Client.BufferedAmount == 0, Minute));
        Assert.Contains(link.ClientEvents, e => e.Kind == SctpEventKind.BufferedAmountLow);
    }

    [Fact]
    public void BothDirections_CarryMessagesAtOnce()
    {
        var link = Connected(seed: 11);
        link.LossRate = 0.05;
        for (int i = 0; i < 200; i++)
        {
            link.Client.SendMessage(1, BinaryPpid, Numbered(i), ordered: true, null, null, link.Now);
            link.Server.SendMessage(2, BinaryPpid, Numbered(i), ordered: true, null, null, link.Now);
        }

        Assert.True(link.Run(() => Messages(link.ServerEvents).Count == 200 && Messages(link.ClientEvents).Count == 200, Minute));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => Numbered(i)), Messages(link.ClientEvents).Select(e => e.Payload!));
    }

    [Fact]
    public void UnorderedWithoutRetransmissions_KeepsFlowingUnderLoss()
    {
        var link = Connected(seed: 5);
        link.LossRate = 0.2;
        const int total = 2000;
        for (int i = 0; i < total; i++)
        {
            Assert.Equal(SctpSendStatus.Queued, link.Client.SendMessage(7, BinaryPpid, Numbered(i, 200), ordered: false, 0, null, link.Now));
            link.Run(() => false, TimeSpan.FromMilliseconds(5));
        }

        link.LossRate = 0;
        Assert.True(link.Run(() => link.Client.BufferedAmount == 0, Minute));
        link.Run(() => false, TimeSpan.FromSeconds(2));

        var received = Messages(link.ServerEvents).Select(e => BinaryPrimitives.ReadInt32BigEndian(e.Payload)).ToList();
        Assert.True(received.Count > total / 2, $"{received.Count} arrived");
        Assert.True(received.Count < total);
        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.Contains(total - 1, received);
        Assert.True(link.Client.Counters.AbandonedMessages > 0);
        Assert.Equal(0, link.Client.Counters.Retransmissions);

        // The last messages still arrive once the link is clean: FORWARD-TSN moved the cumulative TSN past the losses.
        for (int i = total; i < total + 10; i++)
        {
            link.Client.SendMessage(7, BinaryPpid, Numbered(i, 200), ordered: false, 0, null, link.Now);
        }

        Assert.True(link.Run(() => Messages(link.ServerEvents).Count == received.Count + 10, Minute));
    }

    [Fact]
    public void OrderedWithLifetime_SkipsExpiredMessagesAndDeliversTheRestInOrder()
    {
        var link = Connected(seed: 9);
        link.LossRate = 0.2;
        const int total = 500;
        for (int i = 0; i < total; i++)
        {
            link.Client.SendMessage(2, BinaryPpid, Numbered(i, 300), ordered: true, null, TimeSpan.FromMilliseconds(100), link.Now);
            link.Run(() => false, TimeSpan.FromMilliseconds(5));
        }

        link.LossRate = 0;
        Assert.True(link.Run(() => link.Client.BufferedAmount == 0, Minute));
        link.Run(() => false, TimeSpan.FromSeconds(2));
        var received = Messages(link.ServerEvents).Select(e => BinaryPrimitives.ReadInt32BigEndian(e.Payload)).ToList();
        var c = link.Client.Counters;
        Assert.True(received.Count > total / 2, $"{received.Count} r {c.Retransmissions} fr {c.FastRetransmits} t3 {c.RetransmissionTimeouts} sent {c.PacketsSent} ab {c.AbandonedMessages}");
        Assert.Equal(received.Order(), received);
        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.True(link.Client.Counters.AbandonedMessages > 0);
    }

    [Fact]
    public void StreamReset_ClosesTheStreamOnBothSides()
    {
        var link = Connected();
        link.Client.SendMessage(4, BinaryPpid, "first"u8, ordered: true, null, null, link.Now);
        link.Server.SendMessage(4, BinaryPpid, "reply"u8, ordered: true, null, null, link.Now);
        Assert.True(link.Client.ResetStreams([4], link.Now));
        Assert.Equal(SctpSendStatus.StreamResetting, link.Client.SendMessage(4, BinaryPpid, "late"u8, ordered: true, null, null, link.Now));

        Assert.True(link.Run(() => link.ServerEvents.Any(e => e.Kind == SctpEventKind.IncomingStreamReset), Minute));
        Assert.Equal(4, link.ServerEvents.Single(e => e.Kind == SctpEventKind.IncomingStreamReset).StreamId);
        Assert.Equal("first"u8.ToArray(), Messages(link.ServerEvents).Single().Payload);

        // The data channel closes its own direction in turn (RFC 8831 §6.7).
        Assert.True(link.Server.ResetStreams([4], link.Now));
        Assert.True(link.Run(
            () => link.ClientEvents.Any(e => e.Kind == SctpEventKind.IncomingStreamReset)
                && link.ServerEvents.Any(e => e.Kind == SctpEventKind.OutgoingStreamReset)
                && link.ClientEvents.Any(e => e.Kind == SctpEventKind.OutgoingStreamReset),
            Minute));

        // The stream can be used again, its SSNs starting over.
        link.Client.SendMessage(4, BinaryPpid, "reopened"u8, ordered: true, null, null, link.Now);
        Assert.True(link.Run(() => Messages(link.ServerEvents).Count == 2, Minute));
        Assert.Equal("reopened"u8.ToArray(), Messages(link.ServerEvents)[1].Payload);
    }

    [Fact]
    public void StreamReset_WaitsForDataStillInFlight()
    {
        var link = Connected(seed: 21);
        link.LossRate = 0.3;
        for (int i = 0; i < 50; i++)
        {
            link.Client.SendMessage(6, BinaryPpid, Numbered(i, 1000), ordered: true, null, null, link.Now);
        }

        link.Client.ResetStreams([6], link.Now);
        Assert.True(link.Run(() => link.ClientEvents.Any(e => e.Kind == SctpEventKind.OutgoingStreamReset), Minute));
        Assert.Equal(50, Messages(link.ServerEvents).Count);
        int resetIndex = link.ServerEvents.FindIndex(e => e.Kind == SctpEventKind.IncomingStreamReset);
        Assert.Equal(50, link.ServerEvents.Take(resetIndex).Count(e => e.Kind == SctpEventKind.MessageReceived));
    }

    [Fact]
    public void Shutdown_ClosesBothSidesAfterDeliveringEverything()
    {
        var link = Connected(seed: 2);
        link.LossRate = 0.1;
        for (int i = 0; i < 20; i++)
        {
            link.Client.SendMessage(1, BinaryPpid, Numbered(i, 3000), ordered: true, null, null, link.Now);
        }

        link.Client.Shutdown(link.Now);
        Assert.Equal(SctpSendStatus.NotConnected, link.Client.SendMessage(1, BinaryPpid, "x"u8, ordered: true, null, null, link.Now));
        Assert.True(link.Run(() => link.Client.State == SctpState.Closed && link.Server.State == SctpState.Closed, Minute));
        Assert.Equal(20, Messages(link.ServerEvents).Count);
        Assert.Contains(link.ServerEvents, e => e.Kind == SctpEventKind.Closed);
    }

    [Fact]
    public void Abort_TellsThePeer()
    {
        var link = Connected();
        link.Client.Abort("going away", link.Now);
        Assert.True(link.Run(() => link.Server.State == SctpState.Closed, Minute));
        Assert.Contains(link.ServerEvents, e => e.Kind == SctpEventKind.Aborted && e.Reason!.Contains("going away"));
    }

    [Fact]
    public void Heartbeats_KeepAnIdleAssociationAlive()
    {
        var link = Connected();
        link.Run(() => false, TimeSpan.FromMinutes(10));
        Assert.Equal(SctpState.Connected, link.Client.State);
        Assert.Equal(SctpState.Connected, link.Server.State);
        Assert.True(link.PacketsCarried > 20);
    }

    [Fact]
    public void Heartbeats_Unanswered_AbortAnIdleAssociation()
    {
        var link = Connected();
        link.Filter = (toServer, _) => !toServer;
        Assert.True(link.Run(() => link.Client.State == SctpState.Closed, TimeSpan.FromHours(2)));
        Assert.Contains(link.ClientEvents, e => e.Kind == SctpEventKind.Aborted);
    }

    [Fact]
    public void PeerThatNeverAcknowledges_IsAbortedWithBoundedMemory()
    {
        var options = new SctpAssociationOptions { SendBufferSize = 300_000 };
        var link = Connected(clientOptions: options);
        link.Filter = (toServer, _) => !toServer;
        int queued = 0;
        while (link.Client.SendMessage(1, BinaryPpid, new byte[1000], ordered: true, null, null, link.Now) == SctpSendStatus.Queued)
        {
            queued++;
        }

        Assert.Equal(300, queued);
        Assert.Equal(SctpSendStatus.BufferFull, link.Client.SendMessage(1, BinaryPpid, new byte[1000], ordered: true, null, null, link.Now));
        Assert.True(link.Run(() => link.Client.State == SctpState.Closed, TimeSpan.FromHours(1)));
        Assert.Contains(link.ClientEvents, e => e.Kind == SctpEventKind.Aborted && e.Reason == "too many retransmissions");
        Assert.Equal(11, link.Client.Counters.RetransmissionTimeouts);
        Assert.True(link.Client.BufferedAmount <= options.SendBufferSize);
        Assert.Equal(SctpSendStatus.NotConnected, link.Client.SendMessage(1, BinaryPpid, "x"u8, ordered: true, null, null, link.Now));
    }

    [Fact]
    public void ReceiverThatNeverReads_ClosesItsWindowAndReopensIt()
    {
        var link = Connected(serverOptions: new SctpAssociationOptions { ReceiveBufferSize = 300_000 });
        link.CollectServerEvents = false;
        const int total = 1000;
        int sent = 0;
        void SendWhatFits()
        {
            while (sent < total && link.Client.SendMessage(1, BinaryPpid, Numbered(sent, 1000), ordered: true, null, null, link.Now) == SctpSendStatus.Queued)
            {
                sent++;
            }
        }

        for (int round = 0; round < 100; round++)
        {
            SendWhatFits();
            link.Run(() => false, TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(SctpState.Connected, link.Client.State);
        Assert.True(link.Client.BufferedAmount > 0);
        link.CollectServerEvents = true;
        link.Pump();
        Assert.InRange(Messages(link.ServerEvents).Count, 250, 300);

        while (Messages(link.ServerEvents).Count < total)
        {
            SendWhatFits();
            Assert.True(link.Run(() => false, TimeSpan.FromSeconds(1)) || link.Now < TimeSpan.FromMinutes(10));
        }

        Assert.Equal(Enumerable.Range(0, total).Select(i => Numbered(i, 1000)), Messages(link.ServerEvents).Select(e => e.Payload!));
    }

    [Fact]
    public void SendMessage_RefusesWhatItCannotCarry()
    {
        var link = Connected();
        var client = link.Client;
        Assert.Equal(SctpSendStatus.EmptyMessage, client.SendMessage(1, BinaryPpid, [], ordered: true, null, null, link.Now));
        Assert.Equal(SctpSendStatus.MessageTooLarge, client.SendMessage(1, BinaryPpid, new byte[262_145], ordered: true, null, null, link.Now));
        Assert.Equal(SctpSendStatus.InvalidStream, client.SendMessage(1024, BinaryPpid, "x"u8, ordered: true, null, null, link.Now));
        Assert.Equal(SctpSendStatus.Queued, client.SendMessage(1, BinaryPpid, new byte[262_144], ordered: true, null, null, link.Now));
        Assert.Equal(SctpSendStatus.BufferFull, client.SendMessage(1, BinaryPpid, "x"u8, ordered: true, null, null, link.Now));
    }

    [Fact]
    public void StreamParameters_CarryTheirReliability()
    {
        var link = Connected();
        var stream = SctpStreamParameters.FromMediasoup(9, null, null, 0);
        Assert.Equal(SctpSendStatus.Queued, link.Client.SendMessage(stream, (uint)DataChannelPpid.String, "hi"u8, link.Now));
        Assert.True(link.Run(() => Messages(link.ServerEvents).Count == 1, Minute));
        Assert.Equal((ushort)9, Messages(link.ServerEvents)[0].StreamId);
        Assert.Equal((uint)DataChannelPpid.String, Messages(link.ServerEvents)[0].Ppid);
    }
}
