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

    /// <summary>How long a gap waits before its first NACK, for packets merely reordered (mediasoup's value).</summary>
    private static readonly TimeSpan SendNackDelay = TimeSpan.FromMilliseconds(10);

    private readonly byte[] _mappedPayloadType = new byte[128];
    private readonly string?[] _mimeTypeByPayloadType = new string?[128];
    private readonly ProducerStream[] _streams;
    private readonly byte[]?[] _ridBytes;
    private readonly Dictionary<uint, ProducerStream> _streamsBySsrc = new();
    private readonly Dictionary<uint, ProducerStream> _rtxStreamsBySsrc = new();
    private readonly short[] _rtxAssociatedPayloadType = new short[128];
    private readonly List<Consumer> _consumers = new();
    private readonly int _ridExtensionId;
    private readonly int _repairedRidExtensionId;
    private readonly bool _useNack;
    private readonly bool _hasRtx;
    private readonly bool[] _isVp8PayloadType = new bool[128];
    private readonly bool[] _isVp9PayloadType = new bool[128];
    private readonly int _audioLevelExtensionId;
    private readonly int _videoOrientationExtensionId;
    private readonly uint _clockRate;
    private readonly Action<object> _onEvent;

    internal Producer(string id, Transport transport, string kind, ProducerType type, RtpParameters rtpParameters,
        RtpMapping mapping, RtpParameters consumableRtpParameters, bool paused, Action<object> onEvent)
    {
        _onEvent = onEvent;
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
            _isVp8PayloadType[codec.PayloadType] = _mimeTypeByPayloadType[codec.PayloadType] == "video/vp8";
            _isVp9PayloadType[codec.PayloadType] = _mimeTypeByPayloadType[codec.PayloadType] == "video/vp9";
        }
        Array.Fill(_rtxAssociatedPayloadType, (short)-1);
        foreach (var codec in rtpParameters.Codecs.Where(RtxCodec.IsRtx))
        {
            _mappedPayloadType[codec.PayloadType] = 0;
            var apt = rtpParameters.Codecs.FirstOrDefault(c => !RtxCodec.IsRtx(c) && RtxCodec.HasApt(codec, c.PayloadType));
            if (apt is not null)
                _rtxAssociatedPayloadType[codec.PayloadType] = (short)apt.PayloadType;
        }
        _hasRtx = rtpParameters.Codecs.Any(RtxCodec.IsRtx);
        _useNack = rtpParameters.Codecs[0].RtcpFeedback.Any(f => f.Type == "nack" && string.IsNullOrEmpty(f.Parameter));

        _streams = mapping.Encodings.Select((e, i) => new ProducerStream(i, e.MappedSsrc, e.Rid, e.Ssrc)).ToArray();
        _ridBytes = _streams.Select(s => s.Rid is null ? null : Encoding.ASCII.GetBytes(s.Rid)).ToArray();
        _clockRate = (uint)consumableRtpParameters.Codecs[0].ClockRate;
        foreach (var stream in _streams.Where(s => s.Ssrc is not null))
        {
            _streamsBySsrc[stream.Ssrc!.Value] = stream;
            stream.Receiver = NewReceiver(stream.Ssrc.Value);
        }
        for (var i = 0; i < _streams.Length && i < rtpParameters.Encodings.Count; i++)
        {
            if (rtpParameters.Encodings[i].Rtx is { } rtx)
            {
                _streams[i].RtxSsrc = rtx.Ssrc;
                _rtxStreamsBySsrc[rtx.Ssrc] = _streams[i];
            }
        }

        int ExtensionId(string uri) => rtpParameters.HeaderExtensions.FirstOrDefault(h => h.Uri == uri)?.Id ?? 0;
        MidExtensionId = ExtensionId(RtpHeaderExtensionUris.Mid);
        _ridExtensionId = ExtensionId(RtpHeaderExtensionUris.RtpStreamId);
        _repairedRidExtensionId = ExtensionId(RtpHeaderExtensionUris.RepairedRtpStreamId);
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

    /// <summary>Media and RTX SSRCs known so far, for the transport's RTP listener.</summary>
    internal IEnumerable<uint> KnownSsrcs => _streamsBySsrc.Keys.Concat(_rtxStreamsBySsrc.Keys);

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
        var now = Transport.Now;
        foreach (var stream in _streams)
        {
            if (paused)
                stream.Receiver?.Pause();
            else
                stream.Receiver?.Resume(now);
        }
        if (paused)
            ObservedLevels?.Observer.ProducerPaused(Id);
        foreach (var consumer in _consumers)
            consumer.SetProducerPaused(paused);
    }

    /// <summary>Worker thread: one decrypted RTP packet that the transport attributed to this producer.</summary>
    internal void ReceiveRtp(ref RtpPacket packet)
    {
        if (RtxStreamOf(ref packet) is { } repaired)
        {
            ReceiveRtx(repaired, ref packet);
            return;
        }
        var stream = StreamOf(ref packet);
        if (stream is null)
        {
            PacketsDropped++;
            return;
        }
        var mappedPayloadType = _mappedPayloadType[packet.PayloadType];
        if (mappedPayloadType == 0)
        {
            PacketsDropped++; // unknown payload types
            return;
        }
        var now = Transport.Now;
        stream.PacketCount++;
        stream.ByteCount += packet.Length;
        stream.LastPacketAt = now;
        var payload = packet.Payload;
        var isKeyFrame = Kind == "video" && !payload.IsEmpty && Codecs.KeyFrameDetector.IsKeyFrame(_mimeTypeByPayloadType[packet.PayloadType]!, payload);
        if (isKeyFrame)
            stream.KeyFrames++;
        CountLayer(stream, packet.PayloadType, payload, packet.Length, now);
        if (stream.Receiver is { } receiver)
        {
            if (!receiver.ReceivePacket(packet, isKeyFrame, now))
            {
                PacketsDropped++; // a sequence number jump the stream does not accept (yet)
                return;
            }
            AfterReceiverCall(stream, receiver);
            if (stream.PacketCount == 1 || receiver.Score != stream.ReportedScore)
                EmitScore(); // as mediasoup: a new stream is announced with its first packet
        }
        if (Paused || payload.IsEmpty)
            return;
        Forward(stream, ref packet, mappedPayloadType, isKeyFrame);
    }

    /// <summary>
    /// A packet on an RTX SSRC: decoded back to the stream it repairs and forwarded as the original
    /// packet when it fills a gap we NACKed; probes (padding, resent old packets) stop here.
    /// </summary>
    private void ReceiveRtx(ProducerStream stream, ref RtpPacket packet)
    {
        stream.RtxPacketCount++;
        Transport.RtxReceived(packet.Length);
        var associated = _rtxAssociatedPayloadType[packet.PayloadType];
        if (associated < 0 || stream.Ssrc is not { } ssrc || stream.Receiver is not { } receiver
            || !packet.TryRtxDecode((byte)associated, ssrc))
            return;
        var mappedPayloadType = _mappedPayloadType[packet.PayloadType];
        if (mappedPayloadType == 0)
            return;
        var payload = packet.Payload;
        var isKeyFrame = Kind == "video" && !payload.IsEmpty && Codecs.KeyFrameDetector.IsKeyFrame(_mimeTypeByPayloadType[packet.PayloadType]!, payload);
        var repaired = receiver.ReceiveRtxPacket(packet, isKeyFrame, Transport.Now);
        AfterReceiverCall(stream, receiver);
        if (receiver.Score != stream.ReportedScore)
            EmitScore();
        if (!repaired || Paused || payload.IsEmpty)
            return;
        stream.PacketCount++;
        stream.ByteCount += packet.Length;
        CountLayer(stream, packet.PayloadType, payload, packet.Length, Transport.Now);
        Forward(stream, ref packet, mappedPayloadType, isKeyFrame);
    }

    /// <summary>
    /// Counts a packet in its stream's per-layer bitrates, by the layer indices of its VP8/VP9
    /// descriptor (consumers choose temporal layers from these); other codecs' packets are layer (0, 0).
    /// </summary>
    private void CountLayer(ProducerStream stream, byte payloadType, ReadOnlySpan<byte> payload, int size, TimeSpan now)
    {
        int spatial = 0, temporal = 0;
        if (_isVp8PayloadType[payloadType] && Codecs.Vp8PayloadDescriptor.TryParse(payload, out var vp8))
        {
            temporal = vp8.TemporalLayerIndex;
        }
        else if (_isVp9PayloadType[payloadType] && Codecs.Vp9PayloadDescriptor.TryParse(payload, out var vp9))
        {
            spatial = vp9.SpatialLayerIndex;
            temporal = vp9.TemporalLayerIndex;
        }
        stream.LayerSeen(spatial, temporal, size, now);
    }

    private void Forward(ProducerStream stream, ref RtpPacket packet, byte mappedPayloadType, bool isKeyFrame)
    {
        ReadOnlySpan<byte> audioLevel = default, videoOrientation = default;
        if (_audioLevelExtensionId != 0 && packet.TryGetHeaderExtension(_audioLevelExtensionId, out var level))
        {
            audioLevel = level;
            if (ObservedLevels is { } observed && !level.IsEmpty)
                observed.ReceiveLevel(level[0]);
        }
        if (_videoOrientationExtensionId != 0 && packet.TryGetHeaderExtension(_videoOrientationExtensionId, out var orientation))
            videoOrientation = orientation;

        var forwarded = new ForwardedPacket(packet.Payload, mappedPayloadType, packet.Marker, packet.SequenceNumber, packet.Timestamp,
            stream.EncodingIndex, isKeyFrame, audioLevel, videoOrientation);
        for (var i = 0; i < _consumers.Count; i++)
            _consumers[i].Forward(in forwarded);
    }

    /// <summary>What a stream decided on its last call: NACKs to send, a key frame to ask for.</summary>
    private void AfterReceiverCall(ProducerStream stream, RtpStreams.RtpStreamRecv receiver)
    {
        if (Paused)
            return;
        var nacks = receiver.NacksToSend;
        if (!nacks.IsEmpty)
            Transport.SendNack(receiver.Ssrc, nacks);
        if (receiver.IsKeyFrameRequired)
            RequestKeyFrame(stream.EncodingIndex);
    }

    /// <summary>The score of each encoding as consumers report it: 0 until its stream exists.</summary>
    internal int ScoreOf(int encodingIndex) =>
        encodingIndex >= 0 && encodingIndex < _streams.Length && _streams[encodingIndex] is { PacketCount: > 0, Receiver: { } receiver } ? receiver.Score : 0;

    /// <summary>A stream's score changed or a stream appeared: the producer's owner and every consumer hear of it.</summary>
    private void EmitScore()
    {
        var scores = new List<ProducerStreamScore>(_streams.Length);
        foreach (var stream in _streams)
        {
            if (stream.Receiver is not { } receiver || stream.PacketCount == 0)
                continue;
            stream.ReportedScore = receiver.Score;
            scores.Add(new ProducerStreamScore(stream.EncodingIndex, receiver.Ssrc, stream.Rid, receiver.Score));
        }
        _onEvent(new ProducerScore(Id, scores));
        for (var i = 0; i < _consumers.Count; i++)
            _consumers[i].OnProducerScore();
    }

    /// <summary>Worker thread, from the transport's timer: NACKs due again, inactivity.</summary>
    internal void HandleTimeouts(TimeSpan now)
    {
        foreach (var stream in _streams)
        {
            stream.UpdateBitrate(now);
            if (stream.Receiver is not { } receiver || receiver.NextTimeout is not { } due || due > now)
                continue;
            receiver.HandleTimeout(now);
            AfterReceiverCall(stream, receiver);
            if (receiver.Score != stream.ReportedScore)
                EmitScore();
        }
    }

    private RtpStreams.RtpStreamRecv NewReceiver(uint ssrc)
    {
        // As mediasoup: only simulcast with several streams watches for a layer going quiet.
        var inactivityTimeout = Type == ProducerType.Simulcast && _streams.Length > 1
            ? RtpStreams.RtpStreamRecv.DefaultInactivityTimeout
            : TimeSpan.Zero;
        var receiver = new RtpStreams.RtpStreamRecv(ssrc, _clockRate, _useNack, _hasRtx, SendNackDelay, inactivityTimeout);
        if (Paused)
            receiver.Pause();
        return receiver;
    }

    /// <summary>A sender report from the browser for one of this producer's streams.</summary>
    internal void ReceiveSenderReport(uint ssrc, ulong ntpTimestamp, uint rtpTimestamp)
    {
        if (!_streamsBySsrc.TryGetValue(ssrc, out var stream) || stream.Receiver is not { } receiver)
            return;
        receiver.ReceiveSenderReport(ntpTimestamp, rtpTimestamp, Transport.Now);
        if (receiver.Score != stream.ReportedScore)
            EmitScore();
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
        ProducerStream? stream = null;
        if (_ridExtensionId != 0 && packet.TryReadRid(_ridExtensionId, out var rid))
            stream = StreamWithRid(rid);
        else if (_streams.Length == 1 && _streams[0].Ssrc is null)
            stream = _streams[0];
        if (stream is null || stream.Ssrc is not null || _mappedPayloadType[packet.PayloadType] == 0)
            return null;
        stream.Ssrc = ssrc;
        stream.Receiver = NewReceiver(ssrc);
        _streamsBySsrc[ssrc] = stream;
        Transport.RegisterProducerSsrc(ssrc, this);
        return stream;
    }

    /// <summary>The stream an RTX packet repairs: by its signalled or learned SSRC, else by the repaired-RID of an RTX payload type.</summary>
    private ProducerStream? RtxStreamOf(ref RtpPacket packet)
    {
        var ssrc = packet.Ssrc;
        if (_rtxStreamsBySsrc.TryGetValue(ssrc, out var known))
            return known;
        if (_rtxAssociatedPayloadType[packet.PayloadType] < 0 || _streamsBySsrc.ContainsKey(ssrc)
            || _repairedRidExtensionId == 0 || !packet.TryReadRepairedRid(_repairedRidExtensionId, out var rrid)
            || StreamWithRid(rrid) is not { RtxSsrc: null } stream)
            return null;
        stream.RtxSsrc = ssrc;
        _rtxStreamsBySsrc[ssrc] = stream;
        Transport.RegisterProducerSsrc(ssrc, this);
        return stream;
    }

    private ProducerStream? StreamWithRid(ReadOnlySpan<byte> rid)
    {
        for (var i = 0; i < _streams.Length; i++)
        {
            if (_ridBytes[i] is { } candidate && rid.SequenceEqual(candidate))
                return _streams[i];
        }
        return null;
    }
}
