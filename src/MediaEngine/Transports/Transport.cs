using MediaEngine.Consumers;
using MediaEngine.Producers;
using MediaEngine.Rtcp;
using MediaEngine.Rtp.Packets;
using MediaEngine.RtpStreams;
using MediaEngine.Srtp;
using MediaEngine.Workers;

namespace MediaEngine.Transports;

/// <summary>
/// What every transport does with media once packets are in the clear (mediasoup's Transport):
/// finds the producer of incoming RTP, answers RTCP feedback for its consumers, sends receiver
/// and sender reports and transport-wide congestion control feedback. Subclasses bring the
/// network part (ICE + DTLS + SRTP, or plain UDP with optional SRTP). Worker thread only,
/// except the public async methods of subclasses.
/// </summary>
public abstract class Transport
{
    private static readonly TimeSpan TransportWideCcInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RtcpReportInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often producers' streams check for NACKs due again and for inactivity (mediasoup's NACK timer).</summary>
    private static readonly TimeSpan ProducerTimerInterval = TimeSpan.FromMilliseconds(40);

    /// <summary>NACK items per RTCP packet, so one stays well under the MTU.</summary>
    private const int MaxNackItemsPerPacket = 256;

    private readonly Action<TransportEvent> _onEvent;
    private readonly List<Producer> _producers = new();
    private readonly Dictionary<uint, Producer> _producersBySsrc = new();
    private readonly Dictionary<uint, Consumer> _consumersBySsrc = new();
    private readonly byte[] _rtcpSendBuffer = new byte[1500];
    private readonly TransportWideCcFeedback _transportWideCcFeedback = new();
    private readonly Action<int> _sendRtcpPacket;
    private readonly IDisposable _reportTimer;
    private readonly double _rtpLossInjection;
    private ushort _transportWideSequenceNumber;
    private bool _wideSequenceNumberPending;
    private int _videoPrioritySum;
    private int _incomingTransportWideCcExtensionId;
    private uint _lastIncomingSsrc;
    private IDisposable? _feedbackTimer;
    private static readonly TimeSpan BandwidthTraceInterval = TimeSpan.FromSeconds(1);
    private TimeSpan? _lastBandwidthTraceAt;
    private IDisposable? _producerTimer;
    private readonly FeedbackRtpNackItem[] _nackItems = new FeedbackRtpNackItem[NackGenerator.MaxNackPackets];

    // mediasoup's windows: 2.5 s for RTP, 1 s for the rest.
    private static readonly TimeSpan RtpRateWindow = TimeSpan.FromMilliseconds(2500);
    private readonly RateCalculator _receiveRate = new();
    private readonly RateCalculator _sendRate = new();
    private readonly RateCalculator _rtpReceiveRate = new(RtpRateWindow);
    private readonly RateCalculator _rtpSendRate = new(RtpRateWindow);
    private readonly RateCalculator _rtxReceiveRate = new();
    private readonly RateCalculator _rtxSendRate = new();

    /// <param name="id">The id of a transport restored after a restart; null for a new one.</param>
    protected Transport(Worker worker, double rtpLossInjection, Action<TransportEvent> onEvent, string? id = null,
        uint initialAvailableOutgoingBitrate = DefaultInitialAvailableOutgoingBitrate)
    {
        Worker = worker;
        BandwidthEstimator = new SendBandwidthEstimator(initialAvailableOutgoingBitrate);
        _rtpLossInjection = rtpLossInjection;
        _onEvent = onEvent;
        Id = id ?? Guid.NewGuid().ToString();
        _sendRtcpPacket = SendRtcpPacket;
        _reportTimer = worker.Every(RtcpReportInterval, SendRtcpReports);
    }

    public string Id { get; }

    public TransportCounters Counters { get; } = new();

    protected Worker Worker { get; }

    protected bool Closed { get; private set; }

    /// <summary>Closed on this side (by its owner, its router or its worker), as opposed to the remote end going away.</summary>
    public bool IsClosed => Closed;

    internal TimeSpan Now => Worker.Now;

    /// <summary>Where consumers compose the packet they send; room for the SRTP tag included.</summary>
    internal byte[] RtpSendBuffer { get; } = new byte[2048];

    /// <summary>True once packets can leave: keys (if any) and a remote address are known.</summary>
    internal abstract bool CanSendRtp { get; }

    /// <summary>abs-send-time: seconds in 6.18 fixed point, 24 bits.</summary>
    internal uint AbsSendTime => (uint)((Worker.Now.Ticks << 18) / TimeSpan.TicksPerSecond) & 0xFFFFFF;

    /// <summary>The sequence number for the packet being composed; <see cref="SendRtpPacket"/> records it for the bandwidth estimate.</summary>
    internal ushort NextTransportWideSequenceNumber()
    {
        _wideSequenceNumberPending = true;
        return ++_transportWideSequenceNumber;
    }

    /// <summary>What this transport may send, estimated from the browser's transport-wide feedback.</summary>
    public SendBandwidthEstimator BandwidthEstimator { get; }

    /// <summary>mediasoup-demo's webRtcTransportOptions.initialAvailableOutgoingBitrate (protocol.md §6).</summary>
    public const uint DefaultInitialAvailableOutgoingBitrate = 1_000_000;

    /// <summary>
    /// The most the remote end should send (bits per second; 0: no limit), told to it in a REMB with
    /// each round of RTCP reports (every second; mediasoup: every 1.5 s) while it sends media, as
    /// mediasoup does for transports whose incoming bandwidth is estimated with transport-cc:
    /// browsers cap their send rate at a received REMB.
    /// </summary>
    public uint MaxIncomingBitrate { get; set; }

    /// <summary>
    /// The part of the estimate one video consumer may use: shared by priority among the video
    /// consumers of this transport (priorities recounted at each estimate update).
    /// </summary>
    internal uint BitrateShareOf(Consumer consumer) =>
        (uint)((ulong)BandwidthEstimator.AvailableBitrate * (uint)consumer.Priority / (uint)Math.Max(_videoPrioritySum, consumer.Priority));

    internal IReadOnlyList<Producer> Producers => _producers;

    /// <summary>Bits per second now, over mediasoup's windows.</summary>
    internal TransportBitrates Bitrates()
    {
        var now = Now;
        return new TransportBitrates(_receiveRate.GetRate(now), _sendRate.GetRate(now), _rtpReceiveRate.GetRate(now),
            _rtpSendRate.GetRate(now), _rtxReceiveRate.GetRate(now), _rtxSendRate.GetRate(now));
    }

    /// <summary>
    /// Whether this transport sends transport-wide congestion control feedback about what it
    /// receives (mediasoup's transport-cc server).
    /// </summary>
    internal bool SendsTransportWideCcFeedback => _incomingTransportWideCcExtensionId != 0;

    /// <summary>The loss (0–1) the feedback we sent reported, averaged over the last ones; null before any.</summary>
    internal double? RtpPacketLossReceived => _transportWideCcFeedback.PacketLoss;

    /// <summary>Fault injection: the share (0–1) of incoming RTP packets dropped on arrival, as if lost upstream; 0 in production.</summary>
    internal double RtpReceiveLossInjection { get; set; }

    internal void AddProducer(Producer producer)
    {
        foreach (var ssrc in producer.RtpParameters.Encodings.Select(e => e.Ssrc).OfType<uint>())
        {
            if (_producersBySsrc.ContainsKey(ssrc))
                throw new InvalidOperationException($"ssrc already exists in RTP listener [ssrc:{ssrc}]");
        }
        if (producer.RtpParameters.Mid is { } mid && _producers.Any(p => p.RtpParameters.Mid == mid))
            throw new InvalidOperationException($"mid already exists in RTP listener [mid:{mid}]");
        _producers.Add(producer);
        foreach (var ssrc in producer.KnownSsrcs)
            _producersBySsrc[ssrc] = producer;
        _producerTimer ??= Worker.Every(ProducerTimerInterval, HandleProducerTimeouts);
        var transportWideCc = producer.RtpParameters.HeaderExtensions.FirstOrDefault(h => h.Uri == Rtp.RtpHeaderExtensionUris.TransportWideCc);
        if (transportWideCc is not null && _incomingTransportWideCcExtensionId == 0)
        {
            _incomingTransportWideCcExtensionId = transportWideCc.Id;
            _feedbackTimer = Worker.Every(TransportWideCcInterval, FlushTransportWideCcFeedback);
        }
    }

    internal void RemoveProducer(Producer producer)
    {
        _producers.Remove(producer);
        foreach (var (ssrc, owner) in _producersBySsrc.ToList())
        {
            if (owner == producer)
                _producersBySsrc.Remove(ssrc);
        }
    }

    internal void RegisterProducerSsrc(uint ssrc, Producer producer) => _producersBySsrc[ssrc] = producer;

    internal void AddConsumer(Consumer consumer)
    {
        _consumersBySsrc[consumer.Ssrc] = consumer;
        CountVideoPriorities();
    }

    internal void RemoveConsumer(Consumer consumer)
    {
        _consumersBySsrc.Remove(consumer.Ssrc);
        CountVideoPriorities();
    }

    internal void CountVideoPriorities()
    {
        var sum = 0;
        foreach (var consumer in _consumersBySsrc.Values)
        {
            if (consumer.Kind == "video" && !consumer.Paused && !consumer.ProducerPaused)
                sum += consumer.Priority;
        }
        _videoPrioritySum = sum;
    }

    /// <summary>Sends the packet composed in <see cref="RtpSendBuffer"/> (protected first where the transport has keys).</summary>
    internal bool SendRtpPacket(int length, bool retransmission = false)
    {
        if (!CanSendRtp)
            return false;
        if (_wideSequenceNumberPending)
        {
            _wideSequenceNumberPending = false;
            BandwidthEstimator.PacketSent(_transportWideSequenceNumber, length, Worker.Now);
        }
        if (!retransmission && _rtpLossInjection > 0 && Random.Shared.NextDouble() < _rtpLossInjection)
        {
            Counters.RtpPacketsDroppedByInjection++;
            return true;
        }
        if (!SendRtp(RtpSendBuffer, length))
            return false;
        var now = Worker.Now;
        Counters.RtpPacketsSent++;
        Counters.RtpBytesSent += length;
        _rtpSendRate.Update(length, now);
        if (retransmission)
        {
            Counters.RtxBytesSent += length;
            _rtxSendRate.Update(length, now);
        }
        return true;
    }

    internal void SendPli(uint mediaSsrc)
    {
        var length = FeedbackPsPliPacket.Write(_rtcpSendBuffer, 1, mediaSsrc);
        SendRtcpPacket(length);
    }

    /// <summary>Generic NACKs (RFC 4585) to the sender of <paramref name="mediaSsrc"/> for the sequence numbers, ascending.</summary>
    internal void SendNack(uint mediaSsrc, ReadOnlySpan<ushort> lostSequenceNumbers)
    {
        var count = FeedbackRtpNackItem.Pack(lostSequenceNumbers, _nackItems);
        for (var start = 0; start < count; start += MaxNackItemsPerPacket)
        {
            var items = _nackItems.AsSpan(start, Math.Min(MaxNackItemsPerPacket, count - start));
            SendRtcpPacket(FeedbackRtpNackPacket.Write(_rtcpSendBuffer, 1, mediaSsrc, items));
            Counters.NacksSent++;
        }
    }

    /// <summary>Protects (where needed) and sends an RTP packet of <paramref name="length"/> bytes in <paramref name="buffer"/>, which has room for the tag.</summary>
    protected abstract bool SendRtp(byte[] buffer, int length);

    /// <summary>Protects (where needed) and sends a compound RTCP packet of <paramref name="length"/> bytes in <paramref name="buffer"/>.</summary>
    protected abstract void SendRtcp(byte[] buffer, int length);

    /// <summary>Closes the network part: sockets, ICE, DTLS, SRTP.</summary>
    protected abstract void OnClosed();

    /// <summary>Worker thread: stops media and then the network part.</summary>
    internal void Close()
    {
        if (Closed)
            return;
        Closed = true;
        _reportTimer.Dispose();
        _feedbackTimer?.Dispose();
        _producerTimer?.Dispose();
        OnClosed();
        Worker.ClosedTotals.Add(this); // after OnClosed: what closing sends (DTLS close_notify) is counted too
    }

    /// <summary>An RTP packet in the clear (<paramref name="length"/> bytes of <paramref name="packet"/>): to its producer.</summary>
    protected void ReceiveRtp(Span<byte> packet, int length)
    {
        Counters.RtpPacketsReceived++;
        Counters.RtpBytesReceived += length;
        _rtpReceiveRate.Update(length, Worker.Now);
        if (RtpReceiveLossInjection > 0 && Random.Shared.NextDouble() < RtpReceiveLossInjection)
        {
            Counters.RtpPacketsDroppedByReceiveInjection++;
            return;
        }
        if (!RtpPacket.TryParse(packet, length, out var rtp))
        {
            Counters.PacketsDropped++;
            Counters.RtpPacketsMalformed++;
            return;
        }
        if (_incomingTransportWideCcExtensionId != 0 && rtp.TryReadTransportWideSequenceNumber(_incomingTransportWideCcExtensionId, out var wideSequence))
        {
            _transportWideCcFeedback.Record(wideSequence, Worker.Now.Ticks / 10);
            _lastIncomingSsrc = rtp.Ssrc;
            if (_transportWideCcFeedback.PendingCount >= 100)
                FlushTransportWideCcFeedback();
        }
        var producer = ProducerOf(ref rtp);
        if (producer is null)
        {
            Counters.PacketsDropped++;
            Counters.RtpPacketsUnknownSsrc++;
            return;
        }
        producer.ReceiveRtp(ref rtp);
    }

    /// <summary>A compound RTCP packet in the clear: reports and feedback for our producers and consumers.</summary>
    protected void ReceiveRtcp(ReadOnlySpan<byte> datagram)
    {
        Counters.RtcpPacketsReceived++;
        var packets = new CompoundPacket(datagram).GetEnumerator();
        while (packets.MoveNext())
        {
            var packet = packets.Current;
            if (ReceiverReportPacket.TryParse(packet, out var receiverReports))
            {
                for (var i = 0; i < receiverReports.ReportCount; i++)
                {
                    var block = receiverReports.GetReport(i);
                    if (_consumersBySsrc.TryGetValue(block.Ssrc, out var reported))
                        reported.ReceiveReceiverReport(block, NtpTime.Now());
                }
                continue;
            }
            if (SenderReportPacket.TryParse(packet, out var senderReport))
            {
                var report = senderReport.SenderReport;
                if (_producersBySsrc.TryGetValue(report.Ssrc, out var producer))
                    producer.ReceiveSenderReport(report.Ssrc, report.NtpTimestamp, report.RtpTimestamp);
                continue;
            }
            if (FeedbackRtpTransportPacket.TryParse(packet, out var transportFeedback))
            {
                var previousAvailable = BandwidthEstimator.AvailableBitrate;
                BandwidthEstimator.DesiredBitrate = DesiredBitrate();
                if (BandwidthEstimator.ReceiveFeedback(in transportFeedback, Worker.Now))
                    CountVideoPriorities();
                MayEmitBandwidthTrace(previousAvailable);
                continue;
            }
            if (FeedbackRtpNackPacket.TryParse(packet, out var nack))
            {
                if (_consumersBySsrc.TryGetValue(nack.MediaSsrc, out var nacked))
                {
                    for (var i = 0; i < nack.ItemCount; i++)
                    {
                        var item = nack.GetItem(i);
                        Counters.NacksReceived++;
                        nacked.Retransmit(item.PacketId, item.LostPacketBitmask);
                    }
                }
                continue;
            }
            uint? mediaSsrc = null;
            var requestType = FeedbackPsMessageType.Pli;
            if (FeedbackPsPliPacket.TryParse(packet, out var pli))
            {
                mediaSsrc = pli.MediaSsrc;
            }
            else if (FeedbackPsFirPacket.TryParse(packet, out var fir) && fir.ItemCount > 0)
            {
                mediaSsrc = fir.GetItem(0).Ssrc;
                requestType = FeedbackPsMessageType.Fir;
            }
            if (mediaSsrc is { } ssrc && _consumersBySsrc.TryGetValue(ssrc, out var consumer))
            {
                Counters.KeyFrameRequestsReceived++;
                consumer.SendStream.ReceiveKeyFrameRequest(requestType);
                consumer.RequestKeyFrame();
            }
        }
        if (!packets.ReachedEnd)
            Counters.RtcpPacketsMalformed++;
    }

    /// <summary>A datagram (or a TCP frame) of any kind arrived.</summary>
    protected void DataReceived(int length)
    {
        Counters.BytesReceived += length;
        _receiveRate.Update(length, Worker.Now);
    }

    /// <summary>A datagram (or a TCP frame) of any kind left.</summary>
    protected void DataSent(int length)
    {
        Counters.BytesSent += length;
        _sendRate.Update(length, Worker.Now);
    }

    /// <summary>An RTP packet arrived on the RTX SSRC of one of our producers' streams.</summary>
    internal void RtxReceived(int length)
    {
        Counters.RtxBytesReceived += length;
        _rtxReceiveRate.Update(length, Worker.Now);
    }

    /// <summary>An incoming packet SRTP refused: counted as an SRTP error, and by its cause.</summary>
    protected void CountSrtpReceiveError(SrtpError error)
    {
        Counters.SrtpErrors++;
        if (error == SrtpError.AuthenticationFailed)
            Counters.SrtpAuthenticationFailures++;
        else if (error is SrtpError.Replayed or SrtpError.TooOld)
            Counters.SrtpReplays++;
    }

    /// <summary>Worker thread: adds this transport's counters (and those of its own parts) to <paramref name="metrics"/>.</summary>
    internal virtual void AddCountersTo(WorkerMetrics metrics) => metrics.AddCounters(Counters);

    /// <summary>
    /// mediasoup's 'bwe' trace: at the first estimate, then once a second, or at once when the estimate
    /// falls below three quarters of what it was.
    /// </summary>
    private void MayEmitBandwidthTrace(uint previousAvailable)
    {
        var now = Worker.Now;
        var available = BandwidthEstimator.AvailableBitrate;
        if (_lastBandwidthTraceAt is { } last && now - last < BandwidthTraceInterval && available >= previousAvailable * 3UL / 4)
            return;
        _lastBandwidthTraceAt = now;
        var desiredBitrate = DesiredBitrate();
        _onEvent(new TransportEvent(Id, TransportEventKind.Bwe, "out")
        {
            Bandwidth = new BandwidthTrace(desiredBitrate, Math.Max(desiredBitrate, SendBandwidthEstimator.MinBitrate), available),
        });
    }

    /// <summary>What the video consumers would send with no bandwidth limit (mediasoup's desired bitrate).</summary>
    private uint DesiredBitrate()
    {
        ulong desired = 0;
        foreach (var consumer in _consumersBySsrc.Values)
            desired += consumer.DesiredBitrate;
        return (uint)Math.Min(desired, uint.MaxValue);
    }

    protected void Emit(TransportEventKind kind, string value, string? detail = null) =>
        _onEvent(new TransportEvent(Id, kind, value, detail) { WhileClosing = Closed });

    /// <summary>mediasoup's RtpListener: by SSRC, else by the MID header extension of the first packets.</summary>
    private Producer? ProducerOf(ref RtpPacket packet)
    {
        if (_producersBySsrc.TryGetValue(packet.Ssrc, out var known))
            return known;
        foreach (var producer in _producers)
        {
            if (producer.RtpParameters.Mid is { } mid && producer.MidExtensionId != 0
                && packet.TryReadMid(producer.MidExtensionId, out var packetMid) && MidEquals(packetMid, mid))
                return producer;
        }
        return _producers.Count == 1 && _producers[0].RtpParameters.Mid is null ? _producers[0] : null;
    }

    private static bool MidEquals(ReadOnlySpan<byte> ascii, string mid)
    {
        if (ascii.Length != mid.Length)
            return false;
        for (var i = 0; i < ascii.Length; i++)
        {
            if (ascii[i] != mid[i])
                return false;
        }
        return true;
    }

    private void HandleProducerTimeouts()
    {
        var now = Worker.Now;
        for (var i = 0; i < _producers.Count; i++)
            _producers[i].HandleTimeouts(now);
    }

    private void FlushTransportWideCcFeedback() =>
        _transportWideCcFeedback.Flush(_rtcpSendBuffer, _lastIncomingSsrc, _sendRtcpPacket);

    private void SendRtcpPacket(int length)
    {
        if (CanSendRtp)
            SendRtcp(_rtcpSendBuffer, length);
    }

    private void SendRtcpReports()
    {
        if (!CanSendRtp)
            return;
        SendReceiverReports();
        SendSenderReports();
        if (MaxIncomingBitrate != 0 && _producers.Count != 0 && Counters.RtpPacketsReceived != 0)
            SendRtcpPacket(FeedbackPsRembPacket.Write(_rtcpSendBuffer, 0, MaxIncomingBitrate, []));
    }

    /// <summary>A sender report and CNAME per consumer that sent media: receivers need them to sync audio and video.</summary>
    private void SendSenderReports()
    {
        var ntpNow = NtpTime.Now();
        foreach (var consumer in _consumersBySsrc.Values)
        {
            if (consumer.SendStream.PacketsSent == 0 || consumer.SendStream.GetSenderReport(ntpNow, Worker.Now) is not { } info)
                continue;
            var report = new SenderReport(info.Ssrc, info.NtpTimestamp, info.RtpTimestamp, info.PacketCount, info.OctetCount);
            var length = SenderReportPacket.Write(_rtcpSendBuffer, in report, []);
            var sdes = new SdesPacketWriter(_rtcpSendBuffer.AsSpan(length));
            sdes.AddCnameChunk(consumer.Ssrc, consumer.Cname);
            length += sdes.Complete();
            SendRtcpPacket(length);
        }
    }

    /// <summary>RTCP receiver reports for every stream we receive (loss, jitter, LSR/DLSR for the sender's RTT).</summary>
    private void SendReceiverReports()
    {
        Span<ReceiverReport> reports = stackalloc ReceiverReport[RtcpCommonHeader.MaxCount];
        var count = 0;
        foreach (var producer in _producers)
        {
            var streams = producer.Streams; // indexed: enumerating an IReadOnlyList allocates an enumerator every report
            for (var i = 0; i < streams.Count; i++)
            {
                var stream = streams[i];
                if (stream.Receiver is not { } receiver || receiver.PacketsReceived == 0 || count == reports.Length)
                    continue;
                reports[count++] = receiver.GetReceiverReport(Worker.Now);
            }
        }
        if (count == 0)
            return;
        SendRtcpPacket(ReceiverReportPacket.Write(_rtcpSendBuffer, 1, reports[..count]));
    }
}
