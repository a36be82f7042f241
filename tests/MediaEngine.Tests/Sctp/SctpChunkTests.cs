using MediaEngine.Sctp;

namespace MediaEngine.Tests.Sctp;

public class SctpChunkTests
{
    private delegate int Writer(Span<byte> destination);

    private static byte[] Write(Writer writer)
    {
        var buffer = new byte[2048];
        int length = writer(buffer);
        return buffer.AsSpan(0, length).ToArray();
    }

    private static SctpChunk Chunk(byte[] bytes) => new(bytes);

    [Fact]
    public void Data_RoundTrips()
    {
        var bytes = Write(d => SctpDataChunk.Write(
            d, SctpDataChunkFlags.Beginning | SctpDataChunkFlags.Unordered, 0xFFFFFFF0, 7, 9, 53, "hello"u8));
        Assert.True(SctpDataChunk.TryParse(Chunk(bytes), out var data));
        Assert.Equal(0xFFFFFFF0u, data.Tsn);
        Assert.Equal(7, data.StreamId);
        Assert.Equal(9, data.Ssn);
        Assert.Equal(53u, data.Ppid);
        Assert.True(data.IsBeginning);
        Assert.False(data.IsEnd);
        Assert.True(data.IsUnordered);
        Assert.Equal("hello"u8.ToArray(), data.UserData.ToArray());
        var payload = data.UserData.ToArray();
        var flags = data.Flags;
        Assert.Equal(bytes, Write(d => SctpDataChunk.Write(d, flags, 0xFFFFFFF0, 7, 9, 53, payload)));
    }

    [Fact]
    public void Data_WithoutUserData_IsRefused()
    {
        var bytes = Write(d => SctpDataChunk.Write(d, SctpDataChunkFlags.End, 1, 0, 0, 51, []));
        Assert.False(SctpDataChunk.TryParse(Chunk(bytes), out _));
    }

    [Fact]
    public void InitAck_RoundTripsWithCookieAndExtensions()
    {
        byte[] cookie = [1, 2, 3, 4, 5];
        byte[] extensions = [(byte)SctpChunkType.ForwardTsn, (byte)SctpChunkType.ReConfig];
        var bytes = Write(d => SctpInitChunk.Write(d, SctpChunkType.InitAck, 0xA1B2C3D4, 131072, 1024, 2048, 77, true, extensions, cookie));
        Assert.True(SctpInitChunk.TryParse(Chunk(bytes), out var init));
        Assert.Equal(SctpChunkType.InitAck, init.Type);
        Assert.Equal(0xA1B2C3D4u, init.InitiateTag);
        Assert.Equal(131072u, init.AdvertisedReceiverWindow);
        Assert.Equal(1024, init.OutboundStreams);
        Assert.Equal(2048, init.InboundStreams);
        Assert.Equal(77u, init.InitialTsn);
        Assert.True(init.ForwardTsnSupported);
        Assert.True(init.SupportsExtension(SctpChunkType.ReConfig));
        Assert.False(init.SupportsExtension(SctpChunkType.Heartbeat));
        Assert.Equal(cookie, init.StateCookie.ToArray());
        Assert.Equal(bytes, Write(d => SctpInitChunk.Write(d, SctpChunkType.InitAck, 0xA1B2C3D4, 131072, 1024, 2048, 77, true, extensions, cookie)));
    }

    [Fact]
    public void Init_SkipsUnknownParametersAsTheirTypeSays()
    {
        var bytes = Write(d => SctpInitChunk.Write(d, SctpChunkType.Init, 5, 1000, 1, 1, 9, false, [], []));
        // Append an unknown skippable parameter (0x8002, RANDOM of AUTH) and fix the chunk length.
        byte[] random = [0x80, 0x02, 0x00, 0x08, 1, 2, 3, 4];
        var extended = bytes.Concat(random).ToArray();
        extended[3] = (byte)extended.Length;
        Assert.True(SctpInitChunk.TryParse(Chunk(extended), out var init));
        Assert.Equal(5u, init.InitiateTag);
        Assert.False(init.ForwardTsnSupported);
    }

    [Fact]
    public void Init_WithImpossibleParameterLength_IsRefused()
    {
        var bytes = Write(d => SctpInitChunk.Write(d, SctpChunkType.Init, 5, 1000, 1, 1, 9, true, [], []));
        bytes[^1] = 0x40;
        bytes[^2] = 0x00;
        Assert.False(SctpInitChunk.TryParse(Chunk(bytes), out _));
    }

    [Fact]
    public void Sack_RoundTripsGapsAndDuplicates()
    {
        SctpGapAckBlock[] gaps = [new(2, 3), new(6, 9)];
        uint[] duplicates = [100, 101];
        var bytes = Write(d => SctpSackChunk.Write(d, 99, 65536, gaps, duplicates));
        Assert.True(SctpSackChunk.TryParse(Chunk(bytes), out var sack));
        Assert.Equal(99u, sack.CumulativeTsnAck);
        Assert.Equal(65536u, sack.AdvertisedReceiverWindow);
        var parsedGaps = new SctpGapAckBlock[sack.GapAckBlockCount];
        for (int i = 0; i < parsedGaps.Length; i++)
        {
            parsedGaps[i] = sack.GetGapAckBlock(i);
        }

        var parsedDuplicates = new uint[sack.DuplicateTsnCount];
        for (int i = 0; i < parsedDuplicates.Length; i++)
        {
            parsedDuplicates[i] = sack.GetDuplicateTsn(i);
        }

        Assert.Equal(gaps, parsedGaps);
        Assert.Equal(duplicates, parsedDuplicates);
    }

    [Fact]
    public void Sack_WhoseCountsDisagreeWithItsLength_IsRefused()
    {
        var bytes = Write(d => SctpSackChunk.Write(d, 99, 65536, [new(2, 3)], []));
        bytes[13] = 5;
        Assert.False(SctpSackChunk.TryParse(Chunk(bytes), out _));
    }

    [Theory]
    [InlineData(SctpChunkType.Heartbeat)]
    [InlineData(SctpChunkType.HeartbeatAck)]
    public void Heartbeat_RoundTrips(SctpChunkType type)
    {
        byte[] info = [9, 8, 7, 6, 5, 4, 3];
        var bytes = Write(d => SctpHeartbeatChunk.Write(d, type, info));
        Assert.Equal(SctpHeartbeatChunk.LengthFor(info.Length), bytes.Length);
        Assert.True(SctpHeartbeatChunk.TryParse(Chunk(bytes), out var heartbeat));
        Assert.Equal(type, heartbeat.Type);
        Assert.Equal(info, heartbeat.Info.ToArray());
    }

    [Theory]
    [InlineData(SctpChunkType.Abort, true)]
    [InlineData(SctpChunkType.Abort, false)]
    [InlineData(SctpChunkType.Error, false)]
    public void AbortAndError_RoundTripTheirCause(SctpChunkType type, bool reflected)
    {
        var bytes = Write(d => SctpAbortOrErrorChunk.Write(d, type, reflected, SctpErrorCauseCode.UserInitiatedAbort, "bye"u8));
        Assert.True(SctpAbortOrErrorChunk.TryParse(Chunk(bytes), out var chunk));
        Assert.Equal(type, chunk.Type);
        Assert.Equal(reflected, chunk.IsTagReflected);
        Assert.True(SctpErrorCause.TryReadFirst(chunk.Causes, out var cause));
        Assert.Equal(SctpErrorCauseCode.UserInitiatedAbort, cause.Code);
        Assert.Equal("bye"u8.ToArray(), cause.Information.ToArray());
    }

    [Fact]
    public void ShutdownFamily_RoundTrips()
    {
        var shutdown = Write(d => SctpShutdownChunk.Write(d, 12345));
        Assert.True(SctpShutdownChunk.TryParse(Chunk(shutdown), out var parsed));
        Assert.Equal(12345u, parsed.CumulativeTsnAck);

        var ack = Write(d => SctpChunk.WriteEmpty(d, SctpChunkType.ShutdownAck));
        Assert.Equal(SctpChunkType.ShutdownAck, Chunk(ack).Type);
        var complete = Write(d => SctpChunk.WriteEmpty(d, SctpChunkType.ShutdownComplete, SctpAbortOrErrorChunk.TagReflectedFlag));
        Assert.Equal([(byte)SctpChunkType.ShutdownComplete, 1, 0, 4], complete);
    }

    [Fact]
    public void CookieEchoAndAck_RoundTrip()
    {
        byte[] cookie = [1, 2, 3, 4, 5, 6];
        var bytes = Write(d => SctpCookieEchoChunk.Write(d, cookie));
        Assert.True(SctpCookieEchoChunk.TryParse(Chunk(bytes), out var echo));
        Assert.Equal(cookie, echo.Cookie.ToArray());
        Assert.Equal([(byte)SctpChunkType.CookieAck, 0, 0, 4], Write(d => SctpChunk.WriteEmpty(d, SctpChunkType.CookieAck)));
    }

    [Fact]
    public void ForwardTsn_RoundTrips()
    {
        SctpForwardTsnStream[] streams = [new(1, 5), new(3, 65535)];
        var bytes = Write(d => SctpForwardTsnChunk.Write(d, 4242, streams));
        Assert.True(SctpForwardTsnChunk.TryParse(Chunk(bytes), out var forward));
        Assert.Equal(4242u, forward.NewCumulativeTsn);
        Assert.Equal(2, forward.StreamCount);
        Assert.Equal(streams[0], forward.GetStream(0));
        Assert.Equal(streams[1], forward.GetStream(1));
    }

    [Fact]
    public void ReConfig_RoundTripsEachParameter()
    {
        var buffer = new byte[256];
        int first = SctpOutgoingSsnResetRequest.Write(buffer.AsSpan(4), 10, 20, 30, [1, 2, 3]);
        int second = SctpIncomingSsnResetRequest.Write(buffer.AsSpan(4 + SctpChunk.PaddedLength(first)), 11, [4]);
        int third = SctpReconfigurationResponse.Write(
            buffer.AsSpan(4 + SctpChunk.PaddedLength(first) + SctpChunk.PaddedLength(second)), 12, SctpReconfigurationResult.InProgress);
        int length = SctpReConfigChunk.WriteHeader(buffer, SctpChunk.PaddedLength(first) + SctpChunk.PaddedLength(second) + third);
        Assert.True(SctpReConfigChunk.TryParse(new SctpChunk(buffer.AsSpan(0, length)), out var reConfig));

        var parameters = new SctpParameterEnumerator(reConfig.Parameters);
        Assert.True(parameters.MoveNext());
        Assert.True(SctpOutgoingSsnResetRequest.TryParse(parameters.Current, out var outgoing));
        Assert.Equal((10u, 20u, 30u), (outgoing.RequestSequenceNumber, outgoing.ResponseSequenceNumber, outgoing.SendersLastAssignedTsn));
        Assert.Equal(3, outgoing.StreamCount);
        Assert.Equal((1, 2, 3), (outgoing.GetStreamId(0), outgoing.GetStreamId(1), outgoing.GetStreamId(2)));
        Assert.True(parameters.MoveNext());
        Assert.True(SctpIncomingSsnResetRequest.TryParse(parameters.Current, out var incoming));
        Assert.Equal(11u, incoming.RequestSequenceNumber);
        Assert.Equal(4, incoming.GetStreamId(0));
        Assert.True(parameters.MoveNext());
        Assert.True(SctpReconfigurationResponse.TryParse(parameters.Current, out var response));
        Assert.Equal((12u, SctpReconfigurationResult.InProgress), (response.ResponseSequenceNumber, response.Result));
        Assert.False(parameters.MoveNext());
        Assert.False(parameters.IsMalformed);
    }

    [Fact]
    public void Chunks_OfAnotherType_AreRefused()
    {
        var shutdown = Chunk(Write(d => SctpShutdownChunk.Write(d, 1)));
        Assert.False(SctpDataChunk.TryParse(shutdown, out _));
        Assert.False(SctpInitChunk.TryParse(shutdown, out _));
        Assert.False(SctpSackChunk.TryParse(shutdown, out _));
        Assert.False(SctpHeartbeatChunk.TryParse(shutdown, out _));
        Assert.False(SctpAbortOrErrorChunk.TryParse(shutdown, out _));
        Assert.False(SctpCookieEchoChunk.TryParse(shutdown, out _));
        Assert.False(SctpForwardTsnChunk.TryParse(shutdown, out _));
        Assert.False(SctpReConfigChunk.TryParse(shutdown, out _));
    }

    [Fact]
    public void Packet_CarriesAValidChecksumAndIsWalkedChunkByChunk()
    {
        var packet = SctpTestPackets.Build(
            0xCAFEBABE,
            d => SctpChunk.WriteEmpty(d, SctpChunkType.CookieAck),
            d => SctpDataChunk.Write(d, SctpDataChunkFlags.Beginning | SctpDataChunkFlags.End, 1, 0, 0, 51, "abc"u8));

        Assert.True(SctpPacketChecksum.IsValid(packet));
        Assert.True(SctpCommonHeader.TryRead(packet, out var header));
        Assert.Equal(new SctpCommonHeader(5000, 5000, 0xCAFEBABE), header);
        var types = new List<SctpChunkType>();
        var chunks = new SctpChunkEnumerator(packet);
        while (chunks.MoveNext())
        {
            types.Add(chunks.Current.Type);
        }

        Assert.False(chunks.IsMalformed);
        Assert.Equal([SctpChunkType.CookieAck, SctpChunkType.Data], types);

        packet[20] ^= 1;
        Assert.False(SctpPacketChecksum.IsValid(packet));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 2 })]
    [InlineData(new byte[] { 0, 0, 0, 40 })]
    [InlineData(new byte[] { 0, 0 })]
    public void ChunkEnumerator_FlagsImpossibleLengths(byte[] chunk)
    {
        var packet = new byte[12].Concat(chunk).ToArray();
        var chunks = new SctpChunkEnumerator(packet);
        while (chunks.MoveNext())
        {
        }

        Assert.True(chunks.IsMalformed);
    }
}
