using System.Text.Json.Serialization;

namespace MediaEngine.Transports;

/// <summary>
/// What getTransportStats shows for every kind of transport (mediasoup's Transport::FillBufferStats):
/// its type, id and time, and the counters all transports keep.
/// </summary>
public abstract record TransportBaseStats
{
    // System.Text.Json writes a derived record's own properties before its base's; these orders
    // keep mediasoup's field order: this part first, a kind's own counters just before packetsDropped.
    private protected const int SharedOrder = -3;
    private protected const int OwnCounterOrder = -2;
    private protected const int PacketsDroppedOrder = -1;

    private protected TransportBaseStats(string type, Transport transport)
    {
        var counters = transport.Counters;
        Type = type;
        TransportId = transport.Id;
        Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        BytesReceived = counters.BytesReceived;
        BytesSent = counters.BytesSent;
        RtpBytesReceived = counters.RtpBytesReceived;
        RtpBytesSent = counters.RtpBytesSent;
        RtpPacketsReceived = counters.RtpPacketsReceived;
        RtcpPacketsReceived = counters.RtcpPacketsReceived;
        SrtpErrors = counters.SrtpErrors;
        PacketsDropped = counters.PacketsDropped;
    }

    [JsonPropertyOrder(SharedOrder)] public string Type { get; }
    [JsonPropertyOrder(SharedOrder)] public string TransportId { get; }
    [JsonPropertyOrder(SharedOrder)] public long Timestamp { get; }
    [JsonPropertyOrder(SharedOrder)] public long BytesReceived { get; }
    [JsonPropertyOrder(SharedOrder)] public long BytesSent { get; }
    [JsonPropertyOrder(SharedOrder)] public long RtpBytesReceived { get; }
    [JsonPropertyOrder(SharedOrder)] public long RtpBytesSent { get; }
    [JsonPropertyOrder(SharedOrder)] public long RtpPacketsReceived { get; }
    [JsonPropertyOrder(SharedOrder)] public long RtcpPacketsReceived { get; }
    [JsonPropertyOrder(SharedOrder)] public long SrtpErrors { get; }
    [JsonPropertyOrder(PacketsDroppedOrder)] public long PacketsDropped { get; }
}
