using Org.BouncyCastle.Tls;

namespace MediaEngine.Dtls;

/// <summary>Our side of the handshake in the server role, for BouncyCastle's <see cref="DtlsServerProtocol"/>.</summary>
internal sealed class DtlsServerPeer : AbstractTlsServer
{
    private readonly WebRtcDtlsPolicy _policy;
    private SrtpCryptoSuite _srtpCryptoSuite;

    public DtlsServerPeer(WebRtcDtlsPolicy policy)
        : base(policy.Crypto)
    {
        _policy = policy;
    }

    public override bool IgnoreCorruptDtlsRecords => true;

    public override int GetHandshakeTimeoutMillis() => _policy.HandshakeTimeoutMillis;

    public override int GetHandshakeResendTimeMillis() => _policy.InitialRetransmissionMillis;

    public override bool RequiresExtendedMasterSecret() => true;

    public override TlsCredentials GetCredentials() => _policy.CreateSigner(m_context);

    /// <summary>Without a client certificate there is nothing to compare with the signalled fingerprint.</summary>
    public override CertificateRequest GetCertificateRequest() =>
        new(
            [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign],
            TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context),
            null);

    public override void NotifyClientCertificate(Certificate clientCertificate) =>
        _policy.VerifyRemoteCertificate(clientCertificate);

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        UseSrtpData? offer = clientExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        _srtpCryptoSuite = (offer is null ? null : SrtpCryptoSuites.SelectPreferred(offer.ProtectionProfiles))
            ?? throw new TlsFatalAlert(AlertDescription.handshake_failure, "The client offers no SRTP profile we support.");
    }

    /// <summary>Answers use_srtp without an MKI, as OpenSSL does; WebRTC never uses one.</summary>
    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        IDictionary<int, byte[]> extensions = base.GetServerExtensions();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([(int)_srtpCryptoSuite], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        _policy.ExportKeys(m_context, _srtpCryptoSuite);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => WebRtcDtlsPolicy.ProtocolVersions;

    protected override int[] GetSupportedCipherSuites() => _policy.CipherSuites;
}
