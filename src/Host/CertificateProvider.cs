using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SfuHost;

/// <summary>The HTTPS certificate: the configured PEM pair, else a self-signed one kept in data-dir/tls.</summary>
public static class CertificateProvider
{
    public static X509Certificate2 Load(ServerConfig config)
    {
        if (config.TlsCertPath is not null && config.TlsKeyPath is not null)
            return X509Certificate2.CreateFromPemFile(config.TlsCertPath, config.TlsKeyPath);

        var directory = Path.Combine(config.DataDir, "tls");
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        if (!File.Exists(certPath) || !File.Exists(keyPath))
            CreateSelfSigned(directory, certPath, keyPath);
        return X509Certificate2.CreateFromPemFile(certPath, keyPath);
    }

    private static void CreateSelfSigned(string directory, string certPath, string keyPath)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=sfu self-signed", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Dns.GetHostName());
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(365));

        // Write to temporary names first so an interrupted start never leaves half a pair.
        File.WriteAllText(keyPath + ".tmp", key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(keyPath + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(certPath + ".tmp", certificate.ExportCertificatePem());
        File.Move(keyPath + ".tmp", keyPath, overwrite: true);
        File.Move(certPath + ".tmp", certPath, overwrite: true);
    }
}
