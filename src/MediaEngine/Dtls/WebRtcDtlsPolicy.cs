using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaEngine.Dtls;

/// <summary>
/// What both of our DTLS peers (client and server role) agree to, as WebRTC endpoints do: DTLS 1.2
/// only, ECDHE key exchange signed with ECDSA and AES-GCM records, our certificate, a remote certificate accepted only
/// by its signalled fingerprint, use_srtp, and the SRTP keys exported once the handshake completes.
/// One policy serves one handshake.
/// </summary>
internal sealed class WebRtcDtlsPolicy
{
    /// <summary>
    /// AES-GCM only: the first is mandatory for WebRTC endpoints (RFC 8827 §6.5), so every browser
    /// offers it, and <see cref="DtlsRecordFraming"/> relies on the GCM record layout.
    /// </summary>
    private static readonly int[] EcdheEcdsaCipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ];

    private static readonly SignatureAndHashAlgorithm EcdsaWithSha256 =
        SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private readonly DtlsCertificate _certificate;
    private readonly Certificate _localChain;
    private readonly DtlsFingerprint _expectedRemoteFingerprint;

    public WebRtcDtlsPolicy(
        DtlsCertificate certificate,
        DtlsFingerprint expectedRemoteFingerprint,
        DtlsRole localRole,
        DtlsTransportOptions options)
    {
        _certificate = certificate;
        _expectedRemoteFingerprint = expectedRemoteFingerprint;
        LocalRole = localRole;
        Crypto = new BcTlsCrypto(new SecureRandom());
        _localChain = new Certificate([Crypto.CreateCertificate(certificate.Der.ToArray())]);
        CipherSuites = TlsUtilities.GetSupportedCipherSuites(Crypto, EcdheEcdsaCipherSuites);
        HandshakeTimeoutMillis = checked((int)options.HandshakeTimeout.TotalMilliseconds);
        InitialRetransmissionMillis = checked((int)options.InitialRetransmissionTimeout.TotalMilliseconds);
    }

    public BcTlsCrypto Crypto { get; }

    public DtlsRole LocalRole { get; }

    public int[] CipherSuites { get; }

    public int HandshakeTimeoutMillis { get; }

    public int InitialRetransmissionMillis { get; }

    /// <summary>Set when the handshake completes.</summary>
    public SrtpKeyingMaterial? SrtpKeys { get; private set; }

    /// <summary>Set when the handshake completes.</summary>
    public DtlsRecordKeys? RecordKeys { get; private set; }

    public static ProtocolVersion[] ProtocolVersions => ProtocolVersion.DTLSv12.Only();

    public TlsCredentialedSigner CreateSigner(TlsContext context) =>
        new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(context), Crypto, _certificate.PrivateKey, _localChain, EcdsaWithSha256);

    /// <summary>
    /// Accepts the remote end only if its certificate hashes to the fingerprint signalled for it. No
    /// chain or dates are checked: WebRTC certificates are self-signed and pinned this way (RFC 5763).
    /// </summary>
    public void VerifyRemoteCertificate(Certificate? chain)
    {
        if (chain is null || chain.IsEmpty)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "The remote end sent no certificate.");
        }

        if (!_expectedRemoteFingerprint.Matches(chain.GetCertificateAt(0).GetEncoded()))
        {
            throw new TlsFatalAlert(
                AlertDescription.bad_certificate,
                $"The remote certificate does not match the signalled {_expectedRemoteFingerprint.Algorithm.ToMediasoupName()} fingerprint.");
        }
    }

    /// <summary>Must run inside NotifyHandshakeComplete: BouncyCastle erases the master secret afterwards.</summary>
    public void ExportKeys(TlsContext context, SrtpCryptoSuite cryptoSuite)
    {
        RecordKeys = DtlsRecordKeys.Derive(context, LocalRole);
        byte[] exported = context.ExportKeyingMaterial(
            ExporterLabel.dtls_srtp, null, SrtpKeyingMaterial.ExportedLength(cryptoSuite));
        SrtpKeys = SrtpKeyingMaterial.FromExporterOutput(cryptoSuite, LocalRole, exported);
    }
}
