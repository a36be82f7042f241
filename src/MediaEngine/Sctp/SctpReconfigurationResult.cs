namespace MediaEngine.Sctp;

/// <summary>Result of a Re-configuration Response parameter (RFC 6525 §4.4).</summary>
public enum SctpReconfigurationResult : uint
{
    SuccessNothingToDo = 0,
    SuccessPerformed = 1,
    Denied = 2,
    ErrorWrongSsn = 3,
    ErrorRequestAlreadyInProgress = 4,
    ErrorBadSequenceNumber = 5,
    InProgress = 6,
}
