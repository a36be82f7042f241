using System.Text;
using MediaEngine.Codecs;
using MediaEngine.Producers;
using MediaEngine.Rtp;
using MediaEngine.Rtp.Packets;
using MediaEngine.RtpStreams;
using MediaEngine.Transports;

namespace MediaEngine.Consumers;

/// <summary>
/// A producer's media sent to one peer on its transport (mediasoup's Consumer). Simple consumers
/// forward their producer's single stream; simulcast consumers forward one encoding at a time,
/// switching only on key frames. Sequence numbers stay continuous across pauses and switches;
/// timestamps are those of one reference encoding, and another encoding's are mapped onto them
/// through the sender reports of both (as mediasoup), so they keep following wall-clock time.
/// Worker thread only.
/// </summary>
public sealed class Consumer
{
    private readonly byte[] _mid;
    private readonly uint _ssrc;
    private readonly int _midExtensionId;
    private readonly int _absSendTimeExtensionId;
    private readonly int _transportWideCcExtensionId;
    private readonly int _audioLevelExtensionId;
    private readonly int _videoOrientationExtensionId;
    private readonly int _encodingCount;
    private readonly Action<object> _onEvent;
    private readonly byte[] _cname;
    private readonly byte[] _retransmissionScratch = new byte[RtpRetransmissionBuffer.DefaultMaxPacketLength + 64];
    private const int VideoRetransmissionPackets = 600;
    private const int AudioRetransmissionPackets = 100;
    private static readonly TimeSpan MaxRetransmissionDelay = TimeSpan.FromSeconds(2);

    // mediasoup's values: a key frame that would not come after what was sent is moved one 30 fps
    // frame later; if that takes more than 75 ms (the audio/video skew people notice) another key
    // frame is asked for first.
    private const int SwitchFrameGapMs = 33;
    private const int MaxSwitchExtraOffsetMs = 75;

    // Such a delay is then worked off over the following frames, which are stamped 1/8 closer
    // together until back on the wall clock: timestamps keep rising, and repeated switches do not
    // pile delays up into audio/video skew.
    private const uint SkewRecoveryDivisor = 8;

    private readonly SeqManager<ushort> _sequenceNumbers = new();
    private readonly Vp8EncodingContext? _vp8;
    private readonly Vp9EncodingContext? _vp9;
    private readonly int _temporalLayerCount;
    private bool _syncRequired = true;
    private int _targetLayer;

    // Output timestamp = packet timestamp - _timestampOffset + the part of _timestampSkew not yet
    // worked off (see SkewAt). The output timeline is the reference encoding's, shifted by
    // _referenceTimestampOffset (0 unless the reference changed after packets were sent).
    private uint _timestampOffset;
    private uint _timestampSkew;
    private uint _timestampSkewFrom;
    private int _timestampReferenceLayer = -1;
    private uint _referenceTimestampOffset;
    private bool _keyFrameForTimestampRequested;

    internal Consumer(string id, Producer producer, Transport transport, RtpParameters rtpParameters, bool paused, Action<object> onEvent)
    {
        Id = id;
        Producer = producer;
        Transport = transport;
        RtpParameters = rtpParameters;
        Kind = producer.Kind;
        Type = producer.Type;
        Paused = paused;
        ProducerPaused = producer.Paused;
        _onEvent = onEvent;
        _ssrc = rtpParameters.Encodings[0].Ssrc ?? throw new ArgumentException("consumer encoding without ssrc");
        _mid = Encoding.ASCII.GetBytes(rtpParameters.Mid ?? "");
        int ExtensionId(string uri) => rtpParameters.HeaderExtensions.FirstOrDefault(h => h.Uri == uri)?.Id ?? 0;
        _midExtensionId = _mid.Length > 0 ? ExtensionId(RtpHeaderExtensionUris.Mid) : 0;
        _absSendTimeExtensionId = ExtensionId(RtpHeaderExtensionUris.AbsSendTime);
        _transportWideCcExtensionId = ExtensionId(RtpHeaderExtensionUris.TransportWideCc);
        _audioLevelExtensionId = ExtensionId(RtpHeaderExtensionUris.SsrcAudioLevel);
        _videoOrientationExtensionId = ExtensionId(RtpHeaderExtensionUris.VideoOrientation);
        _encodingCount = producer.Streams.Count;
        _cname = Encoding.ASCII.GetBytes(rtpParameters.Rtcp.Cname ?? "sfu");
        var clockRate = (uint)rtpParameters.Codecs[0].ClockRate;
        var nack = rtpParameters.Codecs[0].RtcpFeedback.Any(f => f.Type == "nack" && f.Parameter == "");
        SendStream = new RtpStreamSend(_ssrc, clockRate, nack
            ? new RtpRetransmissionBuffer(Kind == "video" ? VideoRetransmissionPackets : AudioRetransmissionPackets, MaxRetransmissionDelay, clockRate)
            : null);
        var rtxCodec = rtpParameters.Codecs.FirstOrDefault(c => c.MimeType.EndsWith("/rtx", StringComparison.OrdinalIgnoreCase));
        if (rtpParameters.Encodings[0].Rtx is { } rtx && rtxCodec is not null)
            SendStream.SetRtx((byte)rtxCodec.PayloadType, rtx.Ssrc, (ushort)Random.Shared.Next(ushort.MaxValue + 1));
        _targetLayer = _encodingCount - 1;
        CurrentSpatialLayer = IsLayered ? -1 : 0;
        _temporalLayerCount = Math.Clamp(ScalabilityMode.Parse(rtpParameters.Encodings[0].ScalabilityMode).TemporalLayers, 1, ProducerStream.MaxLayers);
        PreferredTemporalLayer = _temporalLayerCount - 1;
        // As mediasoup: simulcast VP8 consumers filter temporal layers and keep PictureID/TL0PICIDX continuous across switches.
        if (IsLayered && rtpParameters.Codecs[0].MimeType.Equals("video/VP8", StringComparison.OrdinalIgnoreCase))
            _vp8 = new Vp8EncodingContext(PreferredTemporalLayer);
        if (Type == ProducerType.Svc && rtpParameters.Codecs[0].MimeType.Equals("video/VP9", StringComparison.OrdinalIgnoreCase))
        {
            // SVC: one stream carrying every layer; what is forwarded is decided per packet from the VP9 descriptor.
            var mode = ScalabilityMode.Parse(rtpParameters.Encodings[0].ScalabilityMode);
            _vp9 = new Vp9EncodingContext(mode.SpatialLayers, mode.TemporalLayers, mode.Ksvc);
            _vp9.Reset();
            _targetLayer = mode.SpatialLayers - 1;
            CurrentSpatialLayer = -1;
        }
    }

    public string Id { get; }

    public string Kind { get; }

    public ProducerType Type { get; }

    public Producer Producer { get; }

    public RtpParameters RtpParameters { get; }

    public bool Paused { get; private set; }

    public bool ProducerPaused { get; private set; }

    /// <summary>The encoding being forwarded; -1 before the first key frame of a layered consumer.</summary>
    public int CurrentSpatialLayer { get; private set; }

    public int PreferredSpatialLayer => _targetLayer;

    /// <summary>The highest temporal layer to forward.</summary>
    public int PreferredTemporalLayer { get; private set; }

    /// <summary>The highest temporal layer forwarded since the last switch; -1 while no layer is sent.</summary>
    public int CurrentTemporalLayer =>
        CurrentSpatialLayer < 0 ? -1 : _vp8?.CurrentTemporalLayer ?? _vp9?.CurrentTemporalLayer ?? _temporalLayerCount - 1;

    public int Priority { get; private set; } = 1;

    public long PacketsSent { get; private set; }

    public long BytesSent { get; private set; }

    public uint Ssrc => _ssrc;

    /// <summary>What this consumer sent and what its receiver reports say: sender reports, RTT, score.</summary>
    public RtpStreamSend SendStream { get; }

    internal ReadOnlySpan<byte> Cname => _cname;

    internal Transport Transport { get; }

    private bool IsLayered => Type != ProducerType.Simple && _encodingCount > 1;

    private bool IsActive => !Paused && !ProducerPaused;

    /// <summary>
    /// What this consumer would send with no bandwidth limit: its producer's best stream's bitrate
    /// (every layer for SVC); 0 when paused. Audio does not take part in the estimate, as in mediasoup.
    /// </summary>
    internal uint DesiredBitrate
    {
        get
        {
            if (!IsActive || Kind != "video")
                return 0;
            uint best = 0;
            var streams = Producer.Streams;
            for (var i = 0; i < streams.Count; i++)
                best = Math.Max(best, streams[i].Bitrate);
            return best;
        }
    }

    internal void SetPaused(bool paused)
    {
        if (Paused == paused)
            return;
        Paused = paused;
        Transport.CountVideoPriorities();
        if (!paused)
            RequireSync();
    }

    internal void SetProducerPaused(bool paused)
    {
        if (ProducerPaused == paused)
            return;
        ProducerPaused = paused;
        Transport.CountVideoPriorities();
        if (!paused)
            RequireSync();
    }

    internal void SetPreferredLayers(int spatialLayer, int? temporalLayer = null)
    {
        PreferredTemporalLayer = Math.Clamp(temporalLayer ?? _temporalLayerCount - 1, 0, _temporalLayerCount - 1);
        if (_vp9 is not null)
        {
            _targetLayer = Math.Clamp(spatialLayer, 0, _vp9.SpatialLayers - 1);
            SetSvcTargets(SvcTargetLayers());
            if (IsActive && NeedsKeyFrameToReachTarget())
                Producer.RequestKeyFrame(0);
            return;
        }
        var target = Math.Clamp(spatialLayer, 0, _encodingCount - 1);
        if (target == _targetLayer)
            return;
        _targetLayer = target;
        if (IsLayered && IsActive)
            Producer.RequestKeyFrame(EffectiveTargetLayers().Spatial);
    }

    internal void SetPriority(int priority)
    {
        Priority = Math.Max(1, priority);
        Transport.CountVideoPriorities();
    }

    /// <summary>The receiver asked for a key frame (PLI/FIR), or requestConsumerKeyFrame.</summary>
    internal void RequestKeyFrame()
    {
        if (IsActive)
            Producer.RequestKeyFrame(IsLayered ? (CurrentSpatialLayer >= 0 ? CurrentSpatialLayer : EffectiveTargetLayers().Spatial) : 0);
    }

    public long PacketsRetransmitted { get; private set; }

    /// <summary>A NACK from the receiver: resend what the buffer still holds (as RTX when negotiated).</summary>
    internal void Retransmit(ushort packetId, ushort lostPacketBitmask)
    {
        foreach (var packet in SendStream.ReceiveNack(packetId, lostPacketBitmask, Transport.Now, _retransmissionScratch))
        {
            // As mediasoup: a retransmission is a new packet on the wire. With the lost packet's
            // transport-wide number the receiver's feedback would report that packet received,
            // hiding the loss from the bandwidth estimate.
            if (_transportWideCcExtensionId != 0)
                packet.TryWriteTransportWideSequenceNumber(_transportWideCcExtensionId, Transport.NextTransportWideSequenceNumber());
            if (_absSendTimeExtensionId != 0)
                packet.TryWriteAbsSendTime(_absSendTimeExtensionId, Transport.AbsSendTime);
            var length = packet.Length;
            packet.Data.CopyTo(Transport.RtpSendBuffer);
            if (Transport.SendRtpPacket(length, retransmission: true))
                PacketsRetransmitted++;
        }
    }

    private void RequireSync()
    {
        _syncRequired = true;
        _keyFrameForTimestampRequested = false;
        if (IsLayered || _vp9 is not null)
            ClearCurrentLayer();
        _vp9?.Reset();
        Producer.RequestKeyFrame(IsLayered ? EffectiveTargetLayers().Spatial : 0);
    }

    internal void Forward(in ForwardedPacket packet)
    {
        if (!IsActive || !Transport.CanSendRtp)
            return;
        var switched = false;
        if (IsLayered)
        {
            var (target, targetTemporal) = EffectiveTargetLayers();
            if (packet.EncodingIndex == target && CurrentSpatialLayer != target)
            {
                if (!packet.IsKeyFrame)
                {
                    Producer.RequestKeyFrame(target);
                }
                else if (TrySyncTimestamp(target, packet.Timestamp))
                {
                    CurrentSpatialLayer = target;
                    _syncRequired = true;
                    switched = true;
                }
            }
            if (packet.EncodingIndex != CurrentSpatialLayer)
                return;
            // Until the switch, the stream still forwarded gets the temporal layers that fit it.
            if (_vp8 is not null)
                _vp8.TargetTemporalLayer = CurrentSpatialLayer == target
                    ? targetTemporal
                    : Math.Max(0, FittingTemporalLayer(Producer.Streams[CurrentSpatialLayer], 0, _temporalLayerCount - 1, ksvc: false));
        }
        else if (_syncRequired && Kind == "video" && !packet.IsKeyFrame)
        {
            Producer.RequestKeyFrame(0);
            return;
        }

        if (_syncRequired)
        {
            _sequenceNumbers.Sync((ushort)(packet.SequenceNumber - 1));
            _vp8?.SyncRequired();
            _syncRequired = false;
        }

        Span<byte> descriptor = stackalloc byte[8];
        var descriptorLength = 0;
        var endsForwardedFrame = false;
        if (_vp8 is not null && Vp8PayloadDescriptor.TryParse(packet.Payload, out var vp8) && vp8.Length <= descriptor.Length)
        {
            if (switched)
                _vp8.CurrentTemporalLayer = vp8.TemporalLayerIndex;
            var previousTemporalLayer = _vp8.CurrentTemporalLayer;
            packet.Payload[..vp8.Length].CopyTo(descriptor);
            var forward = _vp8.Process(in vp8, descriptor);
            if (switched || _vp8.CurrentTemporalLayer != previousTemporalLayer)
                OnLayersChanged(switched);
            if (!forward)
            {
                // A filtered temporal layer: later packets close the gap it would leave.
                _sequenceNumbers.Drop(packet.SequenceNumber);
                return;
            }
            descriptorLength = vp8.Length;
        }
        else if (switched)
        {
            OnLayersChanged(switched);
        }
        else if (_vp9 is not null && Vp9PayloadDescriptor.TryParse(packet.Payload, out var vp9))
        {
            SetSvcTargets(SvcTargetLayers());
            // Asked again until it comes (the producer sends one request per 500 ms at most): a
            // request dropped by that throttle, or lost on the way, would leave the switch waiting.
            if (NeedsKeyFrameToReachTarget())
                Producer.RequestKeyFrame(0);
            var (previousSpatial, previousTemporal) = (_vp9.CurrentSpatialLayer, _vp9.CurrentTemporalLayer);
            var forward = _vp9.Process(in vp9, out endsForwardedFrame);
            if (_vp9.CurrentSpatialLayer != previousSpatial || _vp9.CurrentTemporalLayer != previousTemporal)
            {
                CurrentSpatialLayer = _vp9.CurrentSpatialLayer;
                _onEvent(new ConsumerLayersChanged(Id, CurrentSpatialLayer, CurrentTemporalLayer));
            }
            if (!forward)
            {
                _sequenceNumbers.Drop(packet.SequenceNumber);
                return;
            }
        }

        if (!_sequenceNumbers.Input(packet.SequenceNumber, out var sequenceNumber))
            return; // from before the last sync: the receiver would take it for the new stream's
        var timestamp = packet.Timestamp - _timestampOffset + (_timestampSkew == 0 ? 0 : SkewAt(packet.Timestamp));

        var buffer = Transport.RtpSendBuffer;
        var writer = new RtpPacketWriter(buffer, packet.PayloadType, packet.Marker || endsForwardedFrame, sequenceNumber, timestamp, _ssrc);
        if (_midExtensionId != 0)
            writer.AddExtension(_midExtensionId, _mid);
        if (_absSendTimeExtensionId != 0)
        {
            Span<byte> absSendTime = stackalloc byte[3];
            var value = Transport.AbsSendTime;
            absSendTime[0] = (byte)(value >> 16);
            absSendTime[1] = (byte)(value >> 8);
            absSendTime[2] = (byte)value;
            writer.AddExtension(_absSendTimeExtensionId, absSendTime);
        }
        if (_transportWideCcExtensionId != 0)
        {
            Span<byte> wideSequence = stackalloc byte[2];
            var value = Transport.NextTransportWideSequenceNumber();
            wideSequence[0] = (byte)(value >> 8);
            wideSequence[1] = (byte)value;
            writer.AddExtension(_transportWideCcExtensionId, wideSequence);
        }
        if (_audioLevelExtensionId != 0 && !packet.AudioLevel.IsEmpty)
            writer.AddExtension(_audioLevelExtensionId, packet.AudioLevel);
        if (_videoOrientationExtensionId != 0 && !packet.VideoOrientation.IsEmpty)
            writer.AddExtension(_videoOrientationExtensionId, packet.VideoOrientation);
        var length = writer.Finish(packet.Payload);
        if (descriptorLength > 0)
            descriptor[..descriptorLength].CopyTo(buffer.AsSpan(length - packet.Payload.Length));
        if (RtpPacket.TryParse(buffer.AsSpan(0, length), out var composed))
            SendStream.ReceivePacket(composed, Transport.Now);

        if (Transport.SendRtpPacket(length))
        {
            PacketsSent++;
            BytesSent += length;
        }
    }

    /// <summary>
    /// The timestamp offset for a switch to <paramref name="layer"/> on a key frame stamped
    /// <paramref name="timestamp"/> (mediasoup's SimulcastConsumer). The reference layer keeps its
    /// offset; another layer is placed on the reference's timeline by the two layers' last sender
    /// reports. When the key frame would not come after the highest timestamp sent, it is moved one
    /// frame past it; if that is more than 75 ms, it is dropped and another key frame asked for
    /// once (false). Unlike mediasoup, which then gives up and may send a lower timestamp, the
    /// next key frame takes whatever delay keeps timestamps rising, and the delay is worked off
    /// over the next frames (<see cref="SkewAt"/>).
    /// </summary>
    private bool TrySyncTimestamp(int layer, uint timestamp)
    {
        var clockRate = SendStream.ClockRate;
        var sentAny = SendStream.PacketsSent > 0;
        uint offset;
        if (layer == _timestampReferenceLayer)
        {
            offset = _referenceTimestampOffset;
        }
        else if (_timestampReferenceLayer >= 0 && Producer.Streams[_timestampReferenceLayer].HasSenderReport && Producer.Streams[layer].HasSenderReport)
        {
            var reference = Producer.Streams[_timestampReferenceLayer].Receiver!;
            var target = Producer.Streams[layer].Receiver!;
            // The reference's timestamp at the instant of the target's sender report.
            var ntpDifference = (long)(target.LastSenderReportNtpTimestamp - reference.LastSenderReportNtpTimestamp);
            var referenceThen = reference.LastSenderReportRtpTimestamp + (uint)(long)(((Int128)ntpDifference * clockRate) >> 32);
            offset = target.LastSenderReportRtpTimestamp - referenceThen + _referenceTimestampOffset;
        }
        else
        {
            // No reference yet, or one without a sender report (as mediasoup, this layer takes its
            // place). mediasoup then sends this layer's own timestamps; after packets were sent we
            // continue from the last one instead, as far on as the time since then.
            _timestampReferenceLayer = layer;
            _referenceTimestampOffset = 0;
            if (sentAny)
            {
                var elapsed = (uint)Math.Max(SwitchFrameGapMs * clockRate / 1000,
                    (long)((Int128)(Transport.Now - SendStream.MaxPacketTime).Ticks * clockRate / TimeSpan.TicksPerSecond));
                _referenceTimestampOffset = timestamp - (SendStream.MaxPacketTimestamp + elapsed);
            }
            offset = _referenceTimestampOffset;
        }

        uint skew = 0;
        if (sentAny)
        {
            var maxSent = SendStream.MaxPacketTimestamp;
            var candidate = timestamp - offset;
            if ((int)(candidate - maxSent) <= 0)
            {
                var extra = maxSent - candidate + (uint)(SwitchFrameGapMs * clockRate / 1000);
                if (extra > MaxSwitchExtraOffsetMs * clockRate / 1000 && !_keyFrameForTimestampRequested)
                {
                    _keyFrameForTimestampRequested = true;
                    Producer.RequestKeyFrame(layer);
                    return false;
                }
                // Beyond a second (a sender report far from the truth) there is no working it off: it stays.
                if (extra > clockRate)
                    offset -= extra;
                else
                    skew = extra;
            }
        }
        _timestampOffset = offset;
        _timestampSkew = skew;
        _timestampSkewFrom = timestamp;
        _keyFrameForTimestampRequested = false;
        return true;
    }

    /// <summary>
    /// The delay added at the last switch still left for a packet stamped <paramref name="timestamp"/>
    /// (source units): all of it at the switch's key frame, an eighth of the time since then less
    /// after it. A function of the source timestamp, so the packets of one frame, late or
    /// retransmitted ones too, get one output timestamp.
    /// </summary>
    private uint SkewAt(uint timestamp)
    {
        var elapsed = (int)(timestamp - _timestampSkewFrom);
        if (elapsed <= 0)
            return _timestampSkew;
        var recovered = (uint)elapsed / SkewRecoveryDivisor;
        if (recovered < _timestampSkew)
            return _timestampSkew - recovered;
        // Forgotten once even a late retransmission of the frames before cannot come (a second
        // on), before the source timestamps wrap.
        if ((uint)elapsed - _timestampSkew * SkewRecoveryDivisor > SendStream.ClockRate)
            _timestampSkew = 0;
        return 0;
    }

    /// <summary>
    /// Simulcast: the preferred layers, or the best pair below them whose measured bitrate fits
    /// this consumer's share of the transport's bandwidth estimate, in mediasoup's order (S0T0 &lt;
    /// S0T1 &lt; … &lt; S1T0): the highest stream the browser is actually sending, whose timestamps can
    /// be mapped (<see cref="CanSwitchTo"/>) and that has a temporal layer that fits, with the
    /// highest such layer. When nothing fits, the base temporal layer of layer 0 (or of the
    /// timestamp reference when layer 0 cannot be mapped yet).
    /// </summary>
    private (int Spatial, int Temporal) EffectiveTargetLayers()
    {
        var now = Transport.Now;
        for (var spatial = _targetLayer; spatial >= 0; spatial--)
        {
            var stream = Producer.Streams[spatial];
            if (!CanSwitchTo(spatial) || (spatial > 0 && !stream.IsActive(now)))
                continue;
            var top = spatial == _targetLayer ? PreferredTemporalLayer : _temporalLayerCount - 1;
            var temporal = FittingTemporalLayer(stream, 0, top, ksvc: false);
            if (temporal >= 0)
                return (spatial, temporal);
        }
        return (CanSwitchTo(0) ? 0 : _timestampReferenceLayer, 0);
    }

    /// <summary>
    /// As mediasoup: a layer other than the timestamp reference needs a sender report to be
    /// placed on the reference's timeline (a reference without one gives way to it).
    /// </summary>
    private bool CanSwitchTo(int layer) =>
        _timestampReferenceLayer < 0 || layer == _timestampReferenceLayer || Producer.Streams[layer].HasSenderReport;

    /// <summary>
    /// SVC: the preferred layers, or the best pair below them, of the spatial layers the browser
    /// really sends (Chrome drops layers at low resolutions), whose bitrate (with the layers it
    /// predicts from) fits this consumer's share of the transport's bandwidth estimate; (0, 0) when
    /// nothing fits.
    /// </summary>
    private (int Spatial, int Temporal) SvcTargetLayers()
    {
        var stream = Producer.Streams[0];
        for (var spatial = Math.Min(_targetLayer, stream.HighestActiveSpatialLayer(Transport.Now)); spatial >= 0; spatial--)
        {
            var top = spatial == _targetLayer ? PreferredTemporalLayer : _temporalLayerCount - 1;
            var temporal = FittingTemporalLayer(stream, spatial, top, _vp9!.IsKsvc);
            if (temporal >= 0)
                return (spatial, temporal);
        }
        return (0, 0);
    }

    /// <summary>
    /// SVC: aims the encoding context at <paramref name="targets"/>; until a key frame moves it to
    /// another spatial layer, the one still forwarded gets the temporal layers that fit it.
    /// </summary>
    private void SetSvcTargets((int Spatial, int Temporal) targets)
    {
        _vp9!.TargetSpatialLayer = targets.Spatial;
        var current = _vp9.CurrentSpatialLayer;
        _vp9.TargetTemporalLayer = current < 0 || current == targets.Spatial
            ? targets.Temporal
            : Math.Max(0, FittingTemporalLayer(Producer.Streams[0], current, _temporalLayerCount - 1, _vp9.IsKsvc));
    }

    /// <summary>
    /// The highest temporal layer up to <paramref name="top"/> of <paramref name="stream"/>'s
    /// spatial layer <paramref name="spatialLayer"/> whose bitrate, with what it depends on, fits
    /// this consumer's share of the bandwidth estimate; -1 when none does. While the stream has no
    /// measured bitrate (its first second, or after a pause) every layer fits; otherwise a layer
    /// the browser does not send is no target. Without temporal filtering (H.264) it is the whole
    /// stream or nothing.
    /// </summary>
    private int FittingTemporalLayer(ProducerStream stream, int spatialLayer, int top, bool ksvc)
    {
        var share = Transport.BitrateShareOf(this);
        if (_vp8 is null && _vp9 is null)
            return stream.Bitrate <= share ? top : -1;
        for (var temporal = top; temporal >= 0; temporal--)
        {
            if (temporal > 0 && stream.Bitrate > 0 && stream.LayerBitrate(spatialLayer, temporal) == 0)
                continue;
            if (stream.LayersBitrate(spatialLayer, temporal, ksvc) <= share)
                return temporal;
        }
        return -1;
    }

    /// <summary>SVC: moving up a spatial layer takes a key frame, and so does moving down in K-SVC.</summary>
    private bool NeedsKeyFrameToReachTarget() =>
        _vp9 is not null && _vp9.CurrentSpatialLayer >= 0 && _vp9.TargetSpatialLayer != _vp9.CurrentSpatialLayer
        && (_vp9.TargetSpatialLayer > _vp9.CurrentSpatialLayer || _vp9.IsKsvc);

    /// <summary>Stops forwarding until the next key frame: no layer is being sent.</summary>
    private void ClearCurrentLayer()
    {
        if (CurrentSpatialLayer < 0)
            return;
        CurrentSpatialLayer = -1;
        _onEvent(new ConsumerLayersChanged(Id, null, null));
    }

    /// <summary>consumerLayersChanged; on a spatial switch also a fresh score, as mediasoup.</summary>
    private void OnLayersChanged(bool spatialSwitch)
    {
        _onEvent(new ConsumerLayersChanged(Id, CurrentSpatialLayer, CurrentTemporalLayer));
        if (!spatialSwitch)
            return;
        // What the receiver said of the previous layer says nothing of this one.
        SendStream.ResetScore(10);
        EmitScore();
    }

    /// <summary>A receiver report block about this consumer's stream.</summary>
    internal void ReceiveReceiverReport(in Rtcp.ReceiverReport report, ulong ntpNow)
    {
        var before = SendStream.Score;
        SendStream.ReceiveReceiverReport(report, ntpNow);
        if (SendStream.Score != before)
            EmitScore();
    }

    /// <summary>One of the producer's stream scores changed, or a stream appeared.</summary>
    internal void OnProducerScore() => EmitScore();

    /// <summary>The score as mediasoup reports it: ours, the forwarded producer stream's, and every producer stream's.</summary>
    public ConsumerScore CurrentScore()
    {
        var producerScores = new int[_encodingCount];
        for (var i = 0; i < producerScores.Length; i++)
            producerScores[i] = Producer.ScoreOf(i);
        var forwarded = IsLayered ? CurrentSpatialLayer : 0;
        return new ConsumerScore(Id, SendStream.Score, forwarded >= 0 ? Producer.ScoreOf(forwarded) : 0, producerScores);
    }

    private void EmitScore() => _onEvent(CurrentScore());
}
