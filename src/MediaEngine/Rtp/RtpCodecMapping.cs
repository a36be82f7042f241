namespace MediaEngine.Rtp;

/// <param name="PayloadType">The producer's (browser's) payload type.</param>
/// <param name="MappedPayloadType">The router's payload type for the same codec.</param>
public sealed record RtpCodecMapping(int PayloadType, int MappedPayloadType);
