namespace MediaEngine.Dtls;

/// <summary>Decrypted application data (SCTP); the span is only valid during the call.</summary>
public delegate void DtlsApplicationDataHandler(ReadOnlySpan<byte> data);
