namespace MediaEngine.RtpStreams;

/// <summary>Packet status symbols of a transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.1).</summary>
public enum TransportWideCcPacketStatus : byte
{
    NotReceived = 0,

    /// <summary>Received, with a one-byte receive delta (0 to 255 × 250 µs).</summary>
    ReceivedSmallDelta = 1,

    /// <summary>Received, with a two-byte signed receive delta.</summary>
    ReceivedLargeDelta = 2,
}
