namespace MediaEngine.Sctp;

/// <summary>Parameter types of INIT, INIT-ACK, HEARTBEAT and RE-CONFIG chunks this implementation knows.</summary>
public enum SctpParameterType : ushort
{
    HeartbeatInfo = 1,
    StateCookie = 7,
    UnrecognizedParameter = 8,
    OutgoingSsnResetRequest = 13,
    IncomingSsnResetRequest = 14,
    ReconfigurationResponse = 16,
    SupportedExtensions = 0x8008,
    ForwardTsnSupported = 0xC000,
}
