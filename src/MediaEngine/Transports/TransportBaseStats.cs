using System.Text.Json.Serialization;

namespace MediaEngine.Transports;

/// <summary>
/// What getTransportStats shows for every kind of transport (mediasoup's Transport::FillBufferStats):
/// its id and time, byte counters with their bitrates, the bandwidth figures, then its type, then
/// what a kind adds, then the counters of ours mediasoup does not have. Fields mediasoup leaves out
/// when unset are null here (left out on the wire); maxIncomingBitrate, maxOutgoingBitrate and
/// minOutgoingBitrate are not there at all: we set no such limits.
/// </summary>
public abstract record TransportBaseStats
{
    // System.Text.Json writes a derived record's own properties before its base's; these orders
    // keep mediasoup 3.27's field order, with ours after it.
    private const int MediasoupSharedOrder = -2;
    private const int TypeOrder = -1;
    private const int SharedCounterOrder = 1;
    private protected const int OwnCounterOrder = 2;
    private const int PacketsDroppedOrder = 3;

    private protected TransportBaseStats(string type, Transport transport, string? sctpState, uint? availableOutgoingBitrate)
    {
        var counters = transport.Counters;
        var bitrates = transport.Bitrates();
        Type = type;
        TransportId = transport.Id;
        Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        SctpState = sctpState;
        BytesReceived = counters.BytesReceived;
        RecvBitrate = bitrates.Receive;
        BytesSent = counters.BytesSent;
        SendBitrate = bitrates.Send;
        RtpBytesReceived = counters.RtpBytesReceived;
        RtpRecvBitrate = bitrates.RtpReceive;
        RtpBytesSent = counters.RtpBytesSent;
        RtpSendBitrate = bitrates.RtpSend;
        RtxBytesReceived = counters.RtxBytesReceived;
        RtxRecvBitrate = bitrates.RtxReceive;
        RtxBytesSent = counters.RtxBytesSent;
        RtxSendBitrate = bitrates.RtxSend;
        AvailableOutgoingBitrate = availableOutgoingBitrate;
        // We estimate no incoming bandwidth: with transport-cc the browser estimates it from our
        // feedback, and mediasoup's transport-cc server reports 0 too.
        AvailableIncomingBitrate = transport.SendsTransportWideCcFeedback ? 0 : null;
        MaxIncomingBitrate = transport.MaxIncomingBitrate > 0 ? transport.MaxIncomingBitrate : null;
        RtpPacketLossReceived = transport.RtpPacketLossReceived;
        RtpPacketLossSent = transport.BandwidthEstimator.PacketLoss;
        RtpPacketsReceived = counters.RtpPacketsReceived;
        RtcpPacketsReceived = counters.RtcpPacketsReceived;
        SrtpErrors = counters.SrtpErrors;
        PacketsDropped = counters.PacketsDropped;
    }

    [JsonPropertyOrder(MediasoupSharedOrder)] public string TransportId { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long Timestamp { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public string? SctpState { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long BytesReceived { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long RecvBitrate { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long BytesSent { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long SendBitrate { get; }

    // mediasoup's rtp* counters leave retransmissions out (they are only in rtx*); ours count them in both.
    [JsonPropertyOrder(MediasoupSharedOrder)] public long RtpBytesReceived { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long RtpRecvBitrate { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long RtpBytesSent { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long RtpSendBitrate { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long RtxBytesReceived { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long RtxRecvBitrate { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long RtxBytesSent { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long RtxSendBitrate { get; }

    // We never send bandwidth probes: the estimate rises on what the consumers send.
    [JsonPropertyOrder(MediasoupSharedOrder)] public long ProbationBytesSent => 0;
    [JsonPropertyOrder(MediasoupSharedOrder)] public long ProbationSendBitrate => 0;

    /// <summary>The send-side bandwidth estimate, bits per second.</summary>
    [JsonPropertyOrder(MediasoupSharedOrder)] public uint? AvailableOutgoingBitrate { get; }
    [JsonPropertyOrder(MediasoupSharedOrder)] public long? AvailableIncomingBitrate { get; }

    /// <summary>The cap told to the sender (setMaxIncomingBitrate); left out when none is set.</summary>
    [JsonPropertyOrder(MediasoupSharedOrder)] public uint? MaxIncomingBitrate { get; }

    /// <summary>The loss (0–1) our transport-cc feedback reported, averaged over the last ones; null before any.</summary>
    [JsonPropertyOrder(MediasoupSharedOrder)] public double? RtpPacketLossReceived { get; }

    /// <summary>The loss (0–1) the browser's transport-cc feedback reported, averaged over the last ones; null before any.</summary>
    [JsonPropertyOrder(MediasoupSharedOrder)] public double? RtpPacketLossSent { get; }

    [JsonPropertyOrder(TypeOrder)] public string Type { get; }

    [JsonPropertyOrder(SharedCounterOrder)] public long RtpPacketsReceived { get; }
    [JsonPropertyOrder(SharedCounterOrder)] public long RtcpPacketsReceived { get; }
    [JsonPropertyOrder(SharedCounterOrder)] public long SrtpErrors { get; }
    [JsonPropertyOrder(PacketsDroppedOrder)] public long PacketsDropped { get; }
}
