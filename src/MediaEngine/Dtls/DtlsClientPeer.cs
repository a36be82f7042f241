using Org.BouncyCastle.Tls;

namespace MediaEngine.Dtls;

/// <summary>Our side of the handshake in the client role, for BouncyCastle's <see cref="DtlsClientProtocol"/>.</summary>
internal sealed class DtlsClientPeer : AbstractTlsClient
{
    private static readonly int[] OfferedSrtpProfileIds = SrtpCryptoSuites.PreferenceOrder.Select(suite => (int)suite).ToArray();

    private readonly WebRtcDtlsPolicy _policy;
    private SrtpCryptoSuite _srtpCryptoSuite;

    public DtlsClientPeer(WebRtcDtlsPolicy policy)
        : base(policy.Crypto)
    {
        _policy = policy;
    }

    public override bool IgnoreCorruptDtlsRecords => true;

    public override int GetHandshakeTimeoutMillis() => _policy.HandshakeTimeoutMillis;

    public override int GetHandshakeResendTimeMillis() => _policy.InitialRetransmissionMillis;

    public override bool RequiresExtendedMasterSecret() => true;

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        IDictionary<int, byte[]> extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData(OfferedSrtpProfileIds, TlsUtilities.EmptyBytes));
        return extensions;
    }

    /// <summary>The server must pick exactly one of our profiles and, as we sent no MKI, return none (RFC 5764 §4.1.1).</summary>
    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        UseSrtpData? answer = serverExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions);
        if (answer is null)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "The server did not negotiate SRTP.");
        }

        if (answer.ProtectionProfiles.Length != 1
            || !OfferedSrtpProfileIds.Contains(answer.ProtectionProfiles[0])
            || answer.Mki.Length != 0)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "The server's use_srtp answer is invalid.");
        }

        _srtpCryptoSuite = (SrtpCryptoSuite)answer.ProtectionProfiles[0];
    }

    public override TlsAuthentication GetAuthentication() => new ServerAuthentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        _policy.ExportKeys(m_context, _srtpCryptoSuite);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => WebRtcDtlsPolicy.ProtocolVersions;

    protected override int[] GetSupportedCipherSuites() => _policy.CipherSuites;

    private sealed class ServerAuthentication(DtlsClientPeer peer) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            peer._policy.VerifyRemoteCertificate(serverCertificate.Certificate);

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
            peer._policy.CreateSigner(peer.m_context);
    }
}
