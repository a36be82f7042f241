namespace MediaEngine.Sctp;

/// <summary>Association states of RFC 9260 §4, plus the end state no packet leaves.</summary>
internal enum SctpProtocolState
{
    /// <summary>No association yet: a passive side answers INIT with a cookie and waits for it.</summary>
    Closed,
    CookieWait,
    CookieEchoed,
    Established,
    ShutdownPending,
    ShutdownSent,
    ShutdownReceived,
    ShutdownAckSent,
    Terminated,
}
