using MediaEngine.Sctp;

namespace MediaEngine.Tests.Sctp;

public class SctpAssociationSecurityTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(1);

    private static List<byte[]> Outgoing(SctpAssociation association)
    {
        var packets = new List<byte[]>();
        var buffer = new byte[2048];
        while (association.TryDequeueOutgoing(buffer, out int length))
        {
            packets.Add(buffer.AsSpan(0, length).ToArray());
        }

        return packets;
    }

    private static List<SctpEvent> Events(SctpAssociation association)
    {
        var events = new List<SctpEvent>();
        while (association.TryDequeueEvent(out var sctpEvent))
        {
            events.Add(sctpEvent);
        }

        return events;
    }

    private static byte[] Transfer(SctpAssociation from, SctpAssociation to, TimeSpan now)
    {
        var packet = Assert.Single(Outgoing(from));
        to.HandleIncoming(packet, now);
        return packet;
    }

    /// <summary>A client's INIT answered by the server: the INIT-ACK packet, carrying the server's cookie.</summary>
    private static byte[] InitAckFor(SctpAssociation client, SctpAssociation server)
    {
        client.Connect(Start);
        Transfer(client, server, Start);
        return Assert.Single(Outgoing(server));
    }

    private static byte[] CookieOf(byte[] initAckPacket)
    {
        var chunks = new SctpChunkEnumerator(initAckPacket);
        Assert.True(chunks.MoveNext());
        Assert.True(SctpInitChunk.TryParse(chunks.Current, out var initAck));
        return initAck.StateCookie.ToArray();
    }

    private static uint InitiateTagOf(byte[] initPacket)
    {
        var chunks = new SctpChunkEnumerator(initPacket);
        Assert.True(chunks.MoveNext());
        Assert.True(SctpInitChunk.TryParse(chunks.Current, out var init));
        return init.InitiateTag;
    }

    [Fact]
    public void ForgedCookie_IsDroppedAndCounted()
    {
        var server = new SctpAssociation();
        var forged = SctpTestPackets.Build(0x12345678, d => SctpCookieEchoChunk.Write(d, new byte[68]));
        server.HandleIncoming(forged, Start);

        Assert.Equal(1, server.Counters.InvalidCookies);
        Assert.Equal(SctpState.New, server.State);
        Assert.Empty(Outgoing(server));
        Assert.Empty(Events(server));
    }

    [Fact]
    public void TamperedCookie_IsDroppedAndCounted()
    {
        var server = new SctpAssociation();
        var initAck = InitAckFor(new SctpAssociation(), server);
        var cookie = CookieOf(initAck);
        uint serverTag = InitiateTagOf(initAck);
        cookie[24] ^= 0xFF;
        server.HandleIncoming(SctpTestPackets.Build(serverTag, d => SctpCookieEchoChunk.Write(d, cookie)), Start);

        Assert.Equal(1, server.Counters.InvalidCookies);
        Assert.Equal(SctpState.New, server.State);
    }

    [Fact]
    public void GenuineCookie_UnderAnotherVerificationTag_IsDroppedAndCounted()
    {
        var server = new SctpAssociation();
        var initAck = InitAckFor(new SctpAssociation(), server);
        var cookie = CookieOf(initAck);
        server.HandleIncoming(SctpTestPackets.Build(InitiateTagOf(initAck) + 1, d => SctpCookieEchoChunk.Write(d, cookie)), Start);

        Assert.Equal(1, server.Counters.InvalidCookies);
        Assert.Equal(SctpState.New, server.State);

        server.HandleIncoming(SctpTestPackets.Build(InitiateTagOf(initAck), d => SctpCookieEchoChunk.Write(d, cookie)), Start);
        Assert.Equal(SctpState.Connected, server.State);
    }

    [Fact]
    public void StaleCookie_IsRefusedAndTheClientStartsOver()
    {
        var client = new SctpAssociation();
        var server = new SctpAssociation();
        client.Connect(Start);
        Transfer(client, server, Start);
        Transfer(server, client, Start);
        var late = Start + TimeSpan.FromSeconds(61);
        Transfer(client, server, late);

        Assert.Equal(1, server.Counters.StaleCookies);
        Assert.Equal(SctpState.New, server.State);
        var error = Transfer(server, client, late);
        Assert.Equal(SctpChunkType.Error, SctpTestPackets.FirstChunkType(error));

        // The client sent a new INIT; the handshake now completes.
        for (int step = 0; step < 4; step++)
        {
            var (from, to) = step % 2 == 0 ? (client, server) : (server, client);
            Transfer(from, to, late);
        }

        Assert.Equal(SctpState.Connected, client.State);
        Assert.Equal(SctpState.Connected, server.State);
    }

    [Fact]
    public void WrongVerificationTag_IsDroppedAndCounted()
    {
        var link = new SctpTestLink();
        link.Connect();
        Assert.True(link.Run(() => link.Server.State == SctpState.Connected && link.Client.State == SctpState.Connected, TimeSpan.FromMinutes(1)));
        byte[]? dataPacket = null;
        link.Filter = (toServer, packet) =>
        {
            if (toServer && SctpTestPackets.FirstChunkType(packet) == SctpChunkType.Data)
            {
                dataPacket = packet;
                return true;
            }

            return false;
        };
        link.Client.SendMessage(1, 53, "secret"u8, ordered: true, null, null, link.Now);
        link.Pump();
        Assert.NotNull(dataPacket);

        link.Server.HandleIncoming(SctpTestPackets.WithTag(dataPacket, SctpTestPackets.TagOf(dataPacket) ^ 0x5A5A5A5A), link.Now);
        Assert.Equal(1, link.Server.Counters.VerificationTagMismatches);
        link.Pump();
        Assert.DoesNotContain(link.ServerEvents, e => e.Kind == SctpEventKind.MessageReceived);

        link.Filter = null;
        link.Server.HandleIncoming(dataPacket, link.Now);
        link.Pump();
        Assert.Contains(link.ServerEvents, e => e.Kind == SctpEventKind.MessageReceived);
    }

    [Fact]
    public void MalformedPackets_AreDroppedAndCountedWithoutHarm()
    {
        var link = new SctpTestLink();
        link.Connect();
        Assert.True(link.Run(() => link.Server.State == SctpState.Connected && link.Client.State == SctpState.Connected, TimeSpan.FromMinutes(1)));
        uint serverTag = 0;
        link.Filter = (toServer, packet) =>
        {
            if (toServer)
            {
                serverTag = SctpTestPackets.TagOf(packet);
            }

            return false;
        };
        link.Client.SendMessage(1, 53, "hello"u8, ordered: true, null, null, link.Now);
        Assert.True(link.Run(() => link.ServerEvents.Any(e => e.Kind == SctpEventKind.MessageReceived), TimeSpan.FromMinutes(1)));
        var server = link.Server;
        var counters = server.Counters;

        server.HandleIncoming([1, 2, 3], link.Now);
        Assert.Equal(1, counters.MalformedPackets);

        var goodSack = SctpTestPackets.Build(serverTag, d => SctpChunk.WriteEmpty(d, SctpChunkType.CookieAck));
        var badChecksum = goodSack.ToArray();
        badChecksum[^1] ^= 1;
        server.HandleIncoming(badChecksum, link.Now);
        Assert.Equal(1, counters.ChecksumErrors);

        var impossibleLength = SctpTestPackets.Build(serverTag, d => { d[0] = 3; d[3] = 200; return 4; });
        server.HandleIncoming(impossibleLength, link.Now);
        Assert.Equal(2, counters.MalformedPackets);

        var emptyData = SctpTestPackets.Build(serverTag, d => SctpDataChunk.Write(d, SctpDataChunkFlags.Beginning | SctpDataChunkFlags.End, 999, 1, 0, 53, []));
        server.HandleIncoming(emptyData, link.Now);
        Assert.Equal(3, counters.MalformedPackets);

        var shortSack = SctpTestPackets.Build(serverTag, d => { SctpChunk.WriteHeader(d, SctpChunkType.Sack, 0, 8); return 8; });
        server.HandleIncoming(shortSack, link.Now);
        Assert.Equal(4, counters.MalformedPackets);

        var initWithCompany = SctpTestPackets.Build(
            0,
            d => SctpInitChunk.Write(d, SctpChunkType.Init, 7, 1000, 1, 1, 1, false, [], []),
            d => SctpChunk.WriteEmpty(d, SctpChunkType.CookieAck));
        server.HandleIncoming(initWithCompany, link.Now);
        Assert.Equal(5, counters.MalformedPackets);

        var otherPort = goodSack.ToArray();
        otherPort[1] ^= 1;
        SctpPacketChecksum.Write(otherPort);
        server.HandleIncoming(otherPort, link.Now);
        Assert.Equal(6, counters.MalformedPackets);

        var unknownChunk = SctpTestPackets.Build(serverTag, d => { SctpChunk.WriteHeader(d, (SctpChunkType)0x3F, 0, 4); return 4; });
        server.HandleIncoming(unknownChunk, link.Now);
        Assert.Equal(1, counters.UnexpectedChunks);

        // None of it disturbed the association.
        link.Client.SendMessage(1, 53, "still here"u8, ordered: true, null, null, link.Now);
        Assert.True(link.Run(() => link.ServerEvents.Count(e => e.Kind == SctpEventKind.MessageReceived) == 2, TimeSpan.FromMinutes(1)));
        Assert.Equal(SctpState.Connected, server.State);
    }

    [Fact]
    public void MessageLargerThanTheMaximum_AbortsTheAssociation()
    {
        var link = new SctpTestLink(clientOptions: new SctpAssociationOptions { MaxMessageSize = 300_000, SendBufferSize = 300_000 });
        link.Connect();
        Assert.True(link.Run(() => link.Server.State == SctpState.Connected && link.Client.State == SctpState.Connected, TimeSpan.FromMinutes(1)));
        Assert.Equal(SctpSendStatus.Queued, link.Client.SendMessage(1, 53, new byte[270_000], ordered: true, null, null, link.Now));

        Assert.True(link.Run(() => link.Server.State == SctpState.Closed && link.Client.State == SctpState.Closed, TimeSpan.FromMinutes(1)));
        Assert.Contains(link.ServerEvents, e => e.Kind == SctpEventKind.Aborted && e.Reason!.Contains("maximum message size"));
        Assert.Contains(link.ClientEvents, e => e.Kind == SctpEventKind.Aborted && e.Reason!.Contains("ProtocolViolation"));
        Assert.DoesNotContain(link.ServerEvents, e => e.Kind == SctpEventKind.MessageReceived);
    }

    [Fact]
    public void InitFromAnyone_CostsThePassiveSideNoState()
    {
        var server = new SctpAssociation();
        for (int i = 0; i < 100; i++)
        {
            var init = SctpTestPackets.Build(0, d => SctpInitChunk.Write(d, SctpChunkType.Init, (uint)(i + 1), 1000, 1, 1, 1, true, [], []));
            server.HandleIncoming(init, Start);
            Assert.Equal(SctpChunkType.InitAck, SctpTestPackets.FirstChunkType(Assert.Single(Outgoing(server))));
        }

        Assert.Equal(SctpState.New, server.State);
        Assert.Null(server.NextTimeout);
    }
}
