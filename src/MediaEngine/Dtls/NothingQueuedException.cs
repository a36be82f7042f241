using Org.BouncyCastle.Tls;

namespace MediaEngine.Dtls;

/// <summary>
/// How <see cref="QueuedDatagramTransport"/> tells BouncyCastle, once connected, that nothing is left to
/// receive. BouncyCastle's DtlsTransport.Receive would otherwise keep asking (waitMillis counts only
/// time) after a record that is not application data. It returns -1 for a bad_record_mac alert
/// raised under it when the peer ignores corrupt records, as both of ours do, without failing the
/// connection. Thrown only for datagrams that carry no application data: a retransmitted handshake
/// flight, an alert, garbage.
/// </summary>
internal sealed class NothingQueuedException() : TlsFatalAlert(Org.BouncyCastle.Tls.AlertDescription.bad_record_mac, "nothing queued");
