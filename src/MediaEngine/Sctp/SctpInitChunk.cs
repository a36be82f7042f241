using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>
/// INIT or INIT-ACK (RFC 9260 §3.3.2, §3.3.3), which share a layout. Of the optional parameters it
/// keeps the State Cookie, Forward-TSN-Supported (RFC 3758) and Supported Extensions (RFC 5061);
/// unknown ones are skipped or end the parameter list as their type's high bits say.
/// </summary>
public readonly ref struct SctpInitChunk
{
    private const int FixedLength = SctpChunk.HeaderLength + 16;

    private SctpInitChunk(
        SctpChunkType type, uint initiateTag, uint advertisedReceiverWindow, ushort outboundStreams, ushort inboundStreams,
        uint initialTsn, bool forwardTsnSupported, ReadOnlySpan<byte> supportedExtensions, ReadOnlySpan<byte> stateCookie)
    {
        Type = type;
        InitiateTag = initiateTag;
        AdvertisedReceiverWindow = advertisedReceiverWindow;
        OutboundStreams = outboundStreams;
        InboundStreams = inboundStreams;
        InitialTsn = initialTsn;
        ForwardTsnSupported = forwardTsnSupported;
        SupportedExtensions = supportedExtensions;
        StateCookie = stateCookie;
    }

    public SctpChunkType Type { get; }

    public uint InitiateTag { get; }

    public uint AdvertisedReceiverWindow { get; }

    public ushort OutboundStreams { get; }

    public ushort InboundStreams { get; }

    public uint InitialTsn { get; }

    public bool ForwardTsnSupported { get; }

    /// <summary>Chunk types listed by the Supported Extensions parameter; empty without one.</summary>
    public ReadOnlySpan<byte> SupportedExtensions { get; }

    /// <summary>The State Cookie of an INIT-ACK; empty otherwise.</summary>
    public ReadOnlySpan<byte> StateCookie { get; }

    public bool SupportsExtension(SctpChunkType type) => SupportedExtensions.Contains((byte)type);

    public static bool TryParse(SctpChunk chunk, out SctpInitChunk init)
    {
        init = default;
        if (chunk.Type is not (SctpChunkType.Init or SctpChunkType.InitAck) || chunk.Bytes.Length < FixedLength)
        {
            return false;
        }

        var value = chunk.Value;
        bool forwardTsnSupported = false;
        ReadOnlySpan<byte> supportedExtensions = [];
        ReadOnlySpan<byte> stateCookie = [];
        var parameters = new SctpParameterEnumerator(value[16..]);
        while (parameters.MoveNext())
        {
            var parameter = parameters.Current;
            switch (parameter.Type)
            {
                case SctpParameterType.StateCookie:
                    stateCookie = parameter.Value;
                    break;
                case SctpParameterType.ForwardTsnSupported:
                    forwardTsnSupported = true;
                    break;
                case SctpParameterType.SupportedExtensions:
                    supportedExtensions = parameter.Value;
                    break;
                default:
                    if (!SctpParameter.IsSkippedWhenUnrecognized(parameter.Type))
                    {
                        goto Parsed;
                    }

                    break;
            }
        }

        if (parameters.IsMalformed)
        {
            return false;
        }

    Parsed:
        init = new SctpInitChunk(
            chunk.Type,
            BinaryPrimitives.ReadUInt32BigEndian(value),
            BinaryPrimitives.ReadUInt32BigEndian(value[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(value[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(value[10..]),
            BinaryPrimitives.ReadUInt32BigEndian(value[12..]),
            forwardTsnSupported,
            supportedExtensions,
            stateCookie);
        return true;
    }

    public static int Write(
        Span<byte> destination, SctpChunkType type, uint initiateTag, uint advertisedReceiverWindow, ushort outboundStreams,
        ushort inboundStreams, uint initialTsn, bool forwardTsnSupported, ReadOnlySpan<byte> supportedExtensions,
        ReadOnlySpan<byte> stateCookie)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], initiateTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], advertisedReceiverWindow);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], outboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], inboundStreams);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], initialTsn);
        int length = FixedLength;
        if (!stateCookie.IsEmpty)
        {
            length += SctpParameter.Write(destination[length..], SctpParameterType.StateCookie, stateCookie);
        }

        if (forwardTsnSupported)
        {
            length = SctpChunk.PaddedLength(length);
            length += SctpParameter.Write(destination[length..], SctpParameterType.ForwardTsnSupported, []);
        }

        if (!supportedExtensions.IsEmpty)
        {
            length = SctpChunk.PaddedLength(length);
            length += SctpParameter.Write(destination[length..], SctpParameterType.SupportedExtensions, supportedExtensions);
        }

        SctpChunk.WriteHeader(destination, type, 0, length);
        return length;
    }
}
