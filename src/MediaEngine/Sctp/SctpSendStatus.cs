namespace MediaEngine.Sctp;

/// <summary>What <see cref="SctpAssociation.SendMessage"/> did with a message.</summary>
public enum SctpSendStatus
{
    Queued,

    /// <summary>Empty: SCTP cannot carry it; data channels send one zero byte with an "empty" PPID.</summary>
    EmptyMessage,
    MessageTooLarge,

    /// <summary>The send buffer cannot take it now; retry after BufferedAmountLow.</summary>
    BufferFull,
    InvalidStream,

    /// <summary>The stream is being reset, waiting for the peer to confirm.</summary>
    StreamResetting,

    /// <summary>Shutting down, closed or never started.</summary>
    NotConnected,
}
