using MediaEngine.Consumers;
using MediaEngine.DataChannels;
using MediaEngine.Dtls;
using MediaEngine.Producers;
using MediaEngine.Sctp;
using MediaEngine.Transports;

namespace MediaEngine.Workers;

/// <summary>
/// What one media worker has done since it started: its objects' counters added up, those of
/// closed objects included (so every total only grows), and how many objects are open. Built on
/// the worker thread by <see cref="MediaWorker.GetMetricsAsync"/> from the plain counters the
/// packet path increments; once handed out it is never changed again.
/// </summary>
public sealed class WorkerMetrics
{
    public int WorkerIndex { get; private set; }

    public int Routers { get; private set; }
    public int WebRtcTransports { get; private set; }
    public int PlainTransports { get; private set; }
    public int Producers { get; private set; }
    public int Consumers { get; private set; }
    public int DataProducers { get; private set; }
    public int DataConsumers { get; private set; }

    public long BytesReceived { get; private set; }
    public long BytesSent { get; private set; }
    public long RtpPacketsReceived { get; private set; }
    public long RtpBytesReceived { get; private set; }
    public long RtcpPacketsReceived { get; private set; }
    public long RtpPacketsSent { get; private set; }
    public long RtpBytesSent { get; private set; }
    public long RtpPacketsRetransmitted { get; private set; }
    public long NacksReceived { get; private set; }
    public long NacksSent { get; private set; }
    public long KeyFrameRequestsReceived { get; private set; }
    public long SctpPacketsReceived { get; private set; }
    public long SctpPacketsSent { get; private set; }
    public long DataMessagesReceived { get; private set; }
    public long DataMessagesSent { get; private set; }

    public long UnknownPacketsDropped { get; private set; }
    public long DatagramsTooLong { get; private set; }

    /// <summary>ICE-TCP connections closed because ICE had not taken them within the timeout.</summary>
    public long TcpConnectionsTimedOut { get; private set; }

    /// <summary>Packets to ICE-TCP peers dropped because the socket buffer was full (the peer does not read).</summary>
    public long TcpSendsDropped { get; private set; }
    public long TransportPacketsDropped { get; private set; }
    public long RtpPacketsMalformed { get; private set; }
    public long RtpPacketsUnknownSsrc { get; private set; }
    public long RtcpPacketsMalformed { get; private set; }
    public long SrtpErrors { get; private set; }
    public long SrtpAuthenticationFailures { get; private set; }
    public long SrtpReplays { get; private set; }
    public long StunRejected { get; private set; }
    public long ProducerPacketsDropped { get; private set; }
    public long RtpPacketsDroppedByReceiveInjection { get; private set; }
    public long DtlsDatagramsDiscarded { get; private set; }

    /// <summary>DTLS records after the handshake that did not authenticate (a bad MAC) or were replayed.</summary>
    public long DtlsRecordsRejected { get; private set; }
    public long SctpChecksumErrors { get; private set; }
    public long SctpVerificationTagMismatches { get; private set; }
    public long SctpMalformedPackets { get; private set; }
    public long SctpUnexpectedChunks { get; private set; }
    public long SctpBadCookies { get; private set; }

    public long RtpPacketsDroppedByInjection { get; private set; }
    public long SctpPacketsDroppedByInjection { get; private set; }
    public long SctpOutgoingPacketsDropped { get; private set; }
    public long NackedPacketsThrottled { get; private set; }
    public long NackedPacketsUnavailable { get; private set; }
    public long SctpDataChunksDropped { get; private set; }
    public long DataChannelBytesDropped { get; private set; }
    public long DataMessagesDropped { get; private set; }

    /// <summary>Exceptions thrown by packet, timer or command handlers of the worker (each counted and survived).</summary>
    public long HandlerErrors { get; private set; }

    /// <summary>CPU time of the worker thread (user + system), where the OS tells it (Linux); else null.</summary>
    public TimeSpan? CpuTime { get; private set; }

    /// <summary>
    /// Received packets dropped, by reason; the reasons do not overlap, so their sum is every packet
    /// refused on the way in (SCTP reasons count SCTP packets inside DTLS).
    /// </summary>
    public IReadOnlyList<(string Reason, long Count)> PacketsDroppedByReason =>
    [
        ("unknown_source", UnknownPacketsDropped),
        ("datagram_too_long", DatagramsTooLong),
        ("stun_rejected", StunRejected),
        ("unexpected", TransportPacketsDropped - RtpPacketsMalformed - RtpPacketsUnknownSsrc),
        ("srtp_auth_failure", SrtpAuthenticationFailures),
        ("srtp_replay", SrtpReplays),
        ("srtp_other", SrtpErrors - SrtpAuthenticationFailures - SrtpReplays),
        ("malformed_rtp", RtpPacketsMalformed),
        ("malformed_rtcp", RtcpPacketsMalformed),
        ("unknown_ssrc", RtpPacketsUnknownSsrc),
        ("producer_rejected", ProducerPacketsDropped),
        ("receive_loss_injection", RtpPacketsDroppedByReceiveInjection),
        ("dtls_malformed", DtlsDatagramsDiscarded),
        ("dtls_bad_record", DtlsRecordsRejected),
        ("sctp_checksum", SctpChecksumErrors),
        ("sctp_verification_tag", SctpVerificationTagMismatches),
        ("sctp_malformed", SctpMalformedPackets),
        ("sctp_unexpected_chunk", SctpUnexpectedChunks),
        ("sctp_bad_cookie", SctpBadCookies),
    ];

    /// <summary>Packets that were not sent, by reason.</summary>
    public IReadOnlyList<(string Reason, long Count)> OutgoingPacketsDroppedByReason =>
    [
        ("rtp_loss_injection", RtpPacketsDroppedByInjection),
        ("sctp_loss_injection", SctpPacketsDroppedByInjection),
        ("sctp_queue_full", SctpOutgoingPacketsDropped),
        ("nack_throttled", NackedPacketsThrottled),
        ("nack_unavailable", NackedPacketsUnavailable),
        ("tcp_send_buffer_full", TcpSendsDropped),
    ];

    internal WorkerMetrics Copy() => (WorkerMetrics)MemberwiseClone();

    internal void AddCounters(TransportCounters counters)
    {
        BytesReceived += counters.BytesReceived;
        BytesSent += counters.BytesSent;
        RtpPacketsReceived += counters.RtpPacketsReceived;
        RtpBytesReceived += counters.RtpBytesReceived;
        RtcpPacketsReceived += counters.RtcpPacketsReceived;
        RtpPacketsSent += counters.RtpPacketsSent;
        RtpBytesSent += counters.RtpBytesSent;
        NacksReceived += counters.NacksReceived;
        NacksSent += counters.NacksSent;
        KeyFrameRequestsReceived += counters.KeyFrameRequestsReceived;
        TransportPacketsDropped += counters.PacketsDropped;
        RtpPacketsMalformed += counters.RtpPacketsMalformed;
        RtpPacketsUnknownSsrc += counters.RtpPacketsUnknownSsrc;
        RtcpPacketsMalformed += counters.RtcpPacketsMalformed;
        SrtpErrors += counters.SrtpErrors;
        SrtpAuthenticationFailures += counters.SrtpAuthenticationFailures;
        SrtpReplays += counters.SrtpReplays;
        StunRejected += counters.StunRejected;
        RtpPacketsDroppedByReceiveInjection += counters.RtpPacketsDroppedByReceiveInjection;
        RtpPacketsDroppedByInjection += counters.RtpPacketsDroppedByInjection;
        SctpPacketsDroppedByInjection += counters.SctpPacketsDroppedByInjection;
        DataChannelBytesDropped += counters.DataChannelBytesDropped;
    }

    internal void AddDtls(DtlsTransport dtls)
    {
        DtlsDatagramsDiscarded += dtls.DiscardedDatagramCount;
        DtlsRecordsRejected += dtls.RejectedRecordCount;
    }

    internal void AddSctp(SctpCounters counters)
    {
        SctpPacketsReceived += counters.PacketsReceived;
        SctpPacketsSent += counters.PacketsSent;
        SctpChecksumErrors += counters.ChecksumErrors;
        SctpVerificationTagMismatches += counters.VerificationTagMismatches;
        SctpMalformedPackets += counters.MalformedPackets;
        SctpUnexpectedChunks += counters.UnexpectedChunks;
        SctpBadCookies += counters.InvalidCookies + counters.StaleCookies;
        SctpOutgoingPacketsDropped += counters.OutgoingPacketsDropped;
        SctpDataChunksDropped += counters.DroppedDataChunks;
    }

    internal void AddServer(WebRtcServer server)
    {
        UnknownPacketsDropped += server.UnknownPacketsDropped;
        DatagramsTooLong += server.DatagramsTooLong;
        TcpConnectionsTimedOut += server.TcpConnectionsTimedOut;
        TcpSendsDropped += server.TcpSendsDropped;
    }

    /// <summary>A transport's counters; closed or not, its counts never go away.</summary>
    internal void Add(Transport transport) => transport.AddCountersTo(this);

    internal void Add(Producer producer) => ProducerPacketsDropped += producer.PacketsDropped;

    internal void Add(Consumer consumer)
    {
        RtpPacketsRetransmitted += consumer.PacketsRetransmitted;
        NackedPacketsThrottled += consumer.SendStream.NackedPacketsThrottled;
        NackedPacketsUnavailable += consumer.SendStream.NackedPacketsUnavailable;
    }

    internal void Add(DataProducer dataProducer) => DataMessagesReceived += dataProducer.MessagesReceived;

    internal void Add(DataConsumer dataConsumer)
    {
        DataMessagesSent += dataConsumer.MessagesSent;
        DataMessagesDropped += dataConsumer.MessagesDropped;
    }

    /// <summary>The open objects of one router, counted and added.</summary>
    internal void AddOpen(int transportsWebRtc, int transportsPlain, int producers, int consumers, int dataProducers, int dataConsumers)
    {
        Routers++;
        WebRtcTransports += transportsWebRtc;
        PlainTransports += transportsPlain;
        Producers += producers;
        Consumers += consumers;
        DataProducers += dataProducers;
        DataConsumers += dataConsumers;
    }

    internal void SetWorker(Worker worker, TimeSpan? cpuTime)
    {
        WorkerIndex = worker.Index;
        HandlerErrors = worker.HandlerErrors;
        CpuTime = cpuTime;
    }
}
