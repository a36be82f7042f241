using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MediaEngine.Dtls;
using MediaEngine.Ice;
using MediaEngine.Srtp;
using MediaEngine.Transports;

namespace ForwardingLoad;

/// <summary>
/// The browser's side of one WebRtcTransport: a UDP socket on 127.0.0.1 connected to the server's port,
/// ICE (binding request with USE-CANDIDATE), DTLS as client, then SRTP keyed by the exported keys.
/// </summary>
internal sealed class BenchClient : IDisposable
{
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate();
    private static readonly DtlsFingerprint Fingerprint = Certificate.Fingerprints.Single(f => f.Algorithm == DtlsFingerprintAlgorithm.Sha256);

    private readonly WebRtcTransport _transport;
    private readonly string _localUfrag = Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
    private DtlsTransport? _dtls;

    public BenchClient(WebRtcTransport transport)
    {
        _transport = transport;
        var port = transport.IceCandidates.Single(c => c.Protocol == "udp").Port;
        Socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Socket.ReceiveBufferSize = 4 << 20;
        Socket.SendBufferSize = 4 << 20;
        Socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
    }

    public Socket Socket { get; }

    /// <summary>Protects what this client sends (the producing client uses it).</summary>
    public SrtpSession? SendSession { get; private set; }

    public SrtpCryptoSuite? CryptoSuite { get; private set; }

    public byte[] BindingRequest() =>
        IceBindingRequest.Create(_transport.IceParameters.UsernameFragment, _localUfrag, _transport.IceParameters.Password);

    /// <summary>ICE, then DTLS; returns once both ends have SRTP keys.</summary>
    public async Task ConnectAsync()
    {
        await Task.Run(Ice);
        await _transport.ConnectAsync(DtlsRole.Client, Fingerprint);
        var serverFingerprint = _transport.LocalFingerprints.Single(f => f.Algorithm == DtlsFingerprintAlgorithm.Sha256);
        await Task.Run(() => Dtls(serverFingerprint));
    }

    private void Ice()
    {
        var buffer = new byte[2048];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            Socket.Send(BindingRequest());
            if (!Socket.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead))
                continue;
            var length = Socket.Receive(buffer);
            if (StunMessageReader.TryParse(buffer.AsSpan(0, length), out var response) && response.Class == StunMessageClass.SuccessResponse)
                return;
        }
        throw new TimeoutException("no ICE binding response");
    }

    private void Dtls(DtlsFingerprint serverFingerprint)
    {
        _dtls = new DtlsTransport(Certificate);
        _dtls.Start(DtlsRole.Client, serverFingerprint);
        var buffer = new byte[4096];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!(_dtls.State == DtlsState.Connected && _transport.DtlsState == DtlsState.Connected))
        {
            if (DateTime.UtcNow > deadline || _dtls.State == DtlsState.Failed)
                throw new TimeoutException($"DTLS not connected: client {_dtls.State} {_dtls.FailureReason}, server {_transport.DtlsState}");
            while (_dtls.TryDequeueOutgoing(out var datagram))
                Socket.Send(datagram);
            if (Socket.Poll(TimeSpan.FromMilliseconds(5), SelectMode.SelectRead))
            {
                var length = Socket.Receive(buffer);
                if (length > 0 && buffer[0] is >= 20 and <= 63)
                    _dtls.HandleIncoming(buffer.AsSpan(0, length));
            }
        }
        var keys = _dtls.SrtpKeys!;
        CryptoSuite = keys.CryptoSuite;
        SendSession = new SrtpSession(keys.CryptoSuite.ToSrtpProfile(), keys.LocalMasterKey.Span, keys.LocalMasterSalt.Span);
    }

    public void Dispose()
    {
        _dtls?.Dispose();
        SendSession?.Dispose();
        Socket.Dispose();
    }
}
