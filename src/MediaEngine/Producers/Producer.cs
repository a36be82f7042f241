using System.Text;
using MediaEngine.Consumers;
using MediaEngine.Rtp;
using MediaEngine.Rtp.Packets;
using MediaEngine.RtpObservers;
using MediaEngine.Transports;

namespace MediaEngine.Producers;

/// <summary>
/// Media a peer sends on one of its transports (mediasoup's Producer). Incoming packets are
/// matched to an encoding by SSRC or RID, mapped to the router's payload types and handed to
/// every consumer by direct calls on the worker thread. Worker thread only.
/// </summary>
public sealed class Producer
{
    private static readonly TimeSpan KeyFrameRequestInterval = TimeSpan.FromMilliseconds(500);

    private readonly byte[] _mappedPayloadType = new byte[128];
    private readonly string?[] _mimeTypeByPayloadType = new string?[128];
    private readonly ProducerStream[] _streams;
    private readonly byte[]?[] _ridBytes;
    private readonly Dictionary<uint, ProducerStream> _streamsBySsrc = new();
    private readonly HashSet<uint> _rtxSsrcs = new();
    private readonly List<Consumer> _consumers = new();
    private readonly int _ridExtensionId;
    private readonly int _audioLevelExtensionId;
    private readonly int _videoOrientationExtensionId;
    private readonly uint _clockRate;

    internal Producer(string id, Transport transport, string kind, ProducerType type, RtpParameters rtpParameters,
        RtpMapping mapping, RtpParameters consumableRtpParameters, bool paused)
    {
        Id = id;
        Transport = transport;
        Kind = kind;
        Type = type;
        RtpParameters = rtpParameters;
        ConsumableRtpParameters = consumableRtpParameters;
        Paused = paused;

        foreach (var codec in mapping.Codecs)
        {
            _mappedPayloadType[codec.PayloadType] = (byte)codec.MappedPayloadType;
            _mimeTypeByPayloadType[codec.PayloadType] = rtpParameters.Codecs.First(c => c.PayloadType == codec.PayloadType).MimeType.ToLowerInvariant();
        }
        foreach (var codec in rtpParameters.Codecs.Where(c => c.MimeType.EndsWith("/rtx", StringComparison.OrdinalIgnoreCase)))
            _mappedPayloadType[codec.PayloadType] = 0;

        _streams = mapping.Encodings.Select((e, i) => new ProducerStream(i, e.MappedSsrc, e.Rid, e.Ssrc)).ToArray();
        _ridBytes = _streams.Select(s => s.Rid is null ? null : Encoding.ASCII.GetBytes(s.Rid)).ToArray();
        _clockRate = (uint)consumableRtpParameters.Codecs[0].ClockRate;
        foreach (var stream in _streams.Where(s => s.Ssrc is not null))
        {
            _streamsBySsrc[stream.Ssrc!.Value] = stream;
            stream.Receiver = NewReceiver(stream.Ssrc.Value);
        }
        foreach (var encoding in rtpParameters.Encodings.Where(e => e.Rtx is not null))
            _rtxSsrcs.Add(encoding.Rtx!.Ssrc);

        int ExtensionId(string uri) => rtpParameters.HeaderExtensions.FirstOrDefault(h => h.Uri == uri)?.Id ?? 0;
        MidExtensionId = ExtensionId(RtpHeaderExtensionUris.Mid);
        _ridExtensionId = ExtensionId(RtpHeaderExtensionUris.RtpStreamId);
        _audioLevelExtensionId = ExtensionId(RtpHeaderExtensionUris.SsrcAudioLevel);
        _videoOrientationExtensionId = ExtensionId(RtpHeaderExtensionUris.VideoOrientation);
    }

    public string Id { get; }

    public string Kind { get; }

    public ProducerType Type { get; }

    public RtpParameters RtpParameters { get; }

    public RtpParameters ConsumableRtpParameters { get; }

    public bool Paused { get; private set; }

    public IReadOnlyList<ProducerStream> Streams => _streams;

    public long PacketsDropped { get; private set; }

    internal Transport Transport { get; }

    internal int MidExtensionId { get; }

    internal IReadOnlyCollection<uint> KnownSsrcs => _streamsBySsrc.Keys;

    internal void AddConsumer(Consumer consumer) => _consumers.Add(consumer);

    internal void RemoveConsumer(Consumer consumer) => _consumers.Remove(consumer);

    internal IReadOnlyList<Consumer> Consumers => _consumers;

    /// <summary>The audio level observer's accumulator for this producer, if one observes it.</summary>
    internal ObservedAudioProducer? ObservedLevels { get; set; }

    internal void SetPaused(bool paused)
    {
        if (Paused == paused)
            return;
        Paused = paused;
        if (paused)
            ObservedLevels?.Observer.ProducerPaused(Id);
        foreach (var consumer in _consumers)
            consumer.SetProducerPaused(paused);
    }

    /// <summary>Worker thread: one decrypted RTP packet that the transport attributed to this producer.</summary>
    internal void ReceiveRtp(ref RtpPacket packet)
    {
        var stream = StreamOf(ref packet);
        if (stream is null)
        {
            PacketsDropped++;
            return;
        }
        var mappedPayloadType = _mappedPayloadType[packet.PayloadType];
        if (mappedPayloadType == 0)
        {
            PacketsDropped++; // RTX (retransmissions we did not ask for, or bandwidth probes) and unknown payload types
            return;
        }
        stream.PacketCount++;
        stream.ByteCount += packet.Length;
        stream.LastPacketAt = Transport.Now;
        var payload = packet.Payload;
        if (Paused || payload.IsEmpty)
            return;

        var isKeyFrame = Kind == "video" && Codecs.KeyFrameDetector.IsKeyFrame(_mimeTypeByPayloadType[packet.PayloadType]!, payload);
        if (isKeyFrame)
            stream.KeyFrames++;
        stream.Receiver?.ReceivePacket(packet, isKeyFrame, Transport.Now);
        ReadOnlySpan<byte> audioLevel = default, videoOrientation = default;
        if (_audioLevelExtensionId != 0 && packet.TryGetHeaderExtension(_audioLevelExtensionId, out var level))
        {
            audioLevel = level;
            if (ObservedLevels is { } observed && !level.IsEmpty)
                observed.ReceiveLevel(level[0]);
        }
        if (_videoOrientationExtensionId != 0 && packet.TryGetHeaderExtension(_videoOrientationExtensionId, out var orientation))
            videoOrientation = orientation;

        var forwarded = new ForwardedPacket(payload, mappedPayloadType, packet.Marker, packet.SequenceNumber, packet.Timestamp,
            stream.EncodingIndex, isKeyFrame, audioLevel, videoOrientation);
        for (var i = 0; i < _consumers.Count; i++)
            _consumers[i].Forward(in forwarded);
    }

    private RtpStreams.RtpStreamRecv NewReceiver(uint ssrc) =>
        new(ssrc, _clockRate, useNack: false, hasRtx: false, TimeSpan.Zero, RtpStreams.RtpStreamRecv.DefaultInactivityTimeout);

    /// <summary>A sender report from the browser for one of this producer's streams.</summary>
    internal void ReceiveSenderReport(uint ssrc, ulong ntpTimestamp, uint rtpTimestamp)
    {
        if (_streamsBySsrc.TryGetValue(ssrc, out var stream))
            stream.Receiver?.ReceiveSenderReport(ntpTimestamp, rtpTimestamp, Transport.Now);
    }

    /// <summary>Asks the sender for a key frame of one encoding, at most every 500 ms.</summary>
    internal void RequestKeyFrame(int encodingIndex)
    {
        if (Kind != "video" || encodingIndex < 0 || encodingIndex >= _streams.Length)
            return;
        var stream = _streams[encodingIndex];
        var now = Transport.Now;
        if (stream.Ssrc is not { } ssrc || (stream.LastKeyFrameRequest is { } last && now - last < KeyFrameRequestInterval))
            return;
        stream.LastKeyFrameRequest = now;
        stream.KeyFrameRequests++;
        Transport.SendPli(ssrc);
    }

    private ProducerStream? StreamOf(ref RtpPacket packet)
    {
        var ssrc = packet.Ssrc;
        if (_streamsBySsrc.TryGetValue(ssrc, out var known))
            return known;
        if (_rtxSsrcs.Contains(ssrc))
            return null;
        ProducerStream? stream = null;
        if (_ridExtensionId != 0 && packet.TryReadRid(_ridExtensionId, out var rid))
        {
            for (var i = 0; i < _streams.Length; i++)
            {
                if (_ridBytes[i] is { } candidate && rid.SequenceEqual(candidate))
                    stream = _streams[i];
            }
        }
        else if (_streams.Length == 1 && _streams[0].Ssrc is null)
        {
            stream = _streams[0];
        }
        if (stream is null || stream.Ssrc is not null || _mappedPayloadType[packet.PayloadType] == 0)
            return null;
        stream.Ssrc = ssrc;
        stream.Receiver = NewReceiver(ssrc);
        _streamsBySsrc[ssrc] = stream;
        Transport.RegisterProducerSsrc(ssrc, this);
        return stream;
    }
}
