using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// View over a transport-wide congestion control feedback packet (RTPFB, FMT 15;
/// draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): base sequence number, packet status
/// count, a 24-bit signed reference time in 64 ms units, a feedback packet counter, then run-length
/// and status vector chunks followed by the receive deltas.
/// <see cref="FeedbackRtpTransportPacketBuilder"/> writes one.
/// </summary>
public readonly ref struct FeedbackRtpTransportPacket
{
    public const long MicrosecondsPerReferenceTimeUnit = 64_000;
    public const long MicrosecondsPerTick = 250;

    internal const int FixedFciLength = 8;
    internal const int ChunkLength = 2;
    internal const long TicksPerReferenceTimeUnit = MicrosecondsPerReferenceTimeUnit / MicrosecondsPerTick;

    internal const int MaxRunLength = 0x1FFF;
    internal const int OneBitVectorCapacity = 14;
    internal const int TwoBitVectorCapacity = 7;

    private const ushort StatusVectorBit = 0x8000;
    private const ushort TwoBitSymbolsBit = 0x4000;
    private const int ReservedSymbol = 3;

    private readonly ReadOnlySpan<byte> _body;
    private readonly int _chunksEnd;
    private readonly int _deltasLength;

    private FeedbackRtpTransportPacket(ReadOnlySpan<byte> body, int chunksEnd, int deltasLength)
    {
        _body = body;
        _chunksEnd = chunksEnd;
        _deltasLength = deltasLength;
    }

    public uint SenderSsrc => FeedbackPacketLayout.ReadSenderSsrc(_body);

    public uint MediaSsrc => FeedbackPacketLayout.ReadMediaSsrc(_body);

    public ushort BaseSequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(Fci);

    public int PacketStatusCount => BinaryPrimitives.ReadUInt16BigEndian(Fci[2..]);

    /// <summary>Signed, in units of <see cref="MicrosecondsPerReferenceTimeUnit"/>.</summary>
    public int ReferenceTime => BinaryPrimitives.ReadInt32BigEndian(Fci[4..]) >> 8;

    public byte FeedbackPacketCount => Fci[7];

    /// <summary>One result per sequence number, from the base sequence number on.</summary>
    public FeedbackRtpTransportPacketResultEnumerator Results => new(
        Fci[FixedFciLength.._chunksEnd],
        Fci.Slice(_chunksEnd, _deltasLength),
        BaseSequenceNumber,
        PacketStatusCount,
        ReferenceTime);

    private ReadOnlySpan<byte> Fci => _body[FeedbackPacketLayout.SsrcsLength..];

    /// <summary>
    /// Accepts the packet only if its chunks cover the packet status count, no status within the
    /// count uses the reserved symbol (libwebrtc rejects those too) and the receive deltas fit.
    /// Bytes after the deltas are ignored.
    /// </summary>
    public static bool TryParse(RtcpPacket packet, out FeedbackRtpTransportPacket transportPacket)
    {
        transportPacket = default;
        if (!FeedbackPacketLayout.TryGetFci(packet, RtcpPacketType.RtpFeedback, (byte)FeedbackRtpMessageType.TransportWideCc, out ReadOnlySpan<byte> fci)
            || fci.Length < FixedFciLength)
        {
            return false;
        }

        int remainingStatuses = BinaryPrimitives.ReadUInt16BigEndian(fci[2..]);
        int offset = FixedFciLength;
        int deltasLength = 0;
        while (remainingStatuses > 0)
        {
            if (offset + ChunkLength > fci.Length)
            {
                return false;
            }

            ushort chunk = BinaryPrimitives.ReadUInt16BigEndian(fci[offset..]);
            offset += ChunkLength;
            int symbols = Math.Min(SymbolCount(chunk), remainingStatuses);
            remainingStatuses -= symbols;
            if ((chunk & StatusVectorBit) == 0)
            {
                if (symbols > 0 && Symbol(chunk, 0) == ReservedSymbol)
                {
                    return false;
                }

                deltasLength += symbols * DeltaLength(Symbol(chunk, 0));
                continue;
            }

            for (int index = 0; index < symbols; index++)
            {
                int symbol = Symbol(chunk, index);
                if (symbol == ReservedSymbol)
                {
                    return false;
                }

                deltasLength += DeltaLength(symbol);
            }
        }

        if (offset + deltasLength > fci.Length)
        {
            return false;
        }

        transportPacket = new FeedbackRtpTransportPacket(packet.Body, offset, deltasLength);
        return true;
    }

    internal static int SymbolCount(ushort chunk)
    {
        if ((chunk & StatusVectorBit) == 0)
        {
            return chunk & MaxRunLength;
        }

        return (chunk & TwoBitSymbolsBit) == 0 ? OneBitVectorCapacity : TwoBitVectorCapacity;
    }

    internal static int Symbol(ushort chunk, int index)
    {
        if ((chunk & StatusVectorBit) == 0)
        {
            return (chunk >> 13) & 0b11;
        }

        return (chunk & TwoBitSymbolsBit) == 0
            ? (chunk >> (OneBitVectorCapacity - 1 - index)) & 0b1
            : (chunk >> (2 * (TwoBitVectorCapacity - 1 - index))) & 0b11;
    }

    internal static int DeltaLength(int symbol) => (FeedbackRtpTransportStatus)symbol switch
    {
        FeedbackRtpTransportStatus.SmallDelta => 1,
        FeedbackRtpTransportStatus.LargeDelta => 2,
        _ => 0,
    };
}
