namespace MediaEngine.Transports;

/// <summary>A transport's bits per second, as getTransportStats shows them.</summary>
internal readonly record struct TransportBitrates(long Receive, long Send, long RtpReceive, long RtpSend, long RtxReceive, long RtxSend);
