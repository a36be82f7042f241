namespace MediaEngine.Producers;

/// <summary>
/// A producer's RTP packet as consumers see it: router payload type, source sequence number and
/// timestamp, the payload and the extension values consumers may carry on. Lives on the
/// stack for one fan-out; nothing here is copied unless a consumer sends it.
/// </summary>
public readonly ref struct ForwardedPacket
{
    public ForwardedPacket(ReadOnlySpan<byte> payload, byte payloadType, bool marker, ushort sequenceNumber, uint timestamp,
        int encodingIndex, bool isKeyFrame, ReadOnlySpan<byte> audioLevel, ReadOnlySpan<byte> videoOrientation)
    {
        Payload = payload;
        PayloadType = payloadType;
        Marker = marker;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        EncodingIndex = encodingIndex;
        IsKeyFrame = isKeyFrame;
        AudioLevel = audioLevel;
        VideoOrientation = videoOrientation;
    }

    public ReadOnlySpan<byte> Payload { get; }
    public byte PayloadType { get; }
    public bool Marker { get; }
    public ushort SequenceNumber { get; }
    public uint Timestamp { get; }

    /// <summary>Which of the producer's encodings (simulcast layer) this packet belongs to.</summary>
    public int EncodingIndex { get; }

    public bool IsKeyFrame { get; }

    /// <summary>The ssrc-audio-level value (empty if absent).</summary>
    public ReadOnlySpan<byte> AudioLevel { get; }

    /// <summary>The video-orientation value (empty if absent).</summary>
    public ReadOnlySpan<byte> VideoOrientation { get; }
}
