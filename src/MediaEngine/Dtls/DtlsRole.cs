namespace MediaEngine.Dtls;

/// <summary>DTLS role of a transport, as mediasoup names it in <c>dtlsParameters.role</c>.</summary>
public enum DtlsRole
{
    Auto,
    Client,
    Server,
}
