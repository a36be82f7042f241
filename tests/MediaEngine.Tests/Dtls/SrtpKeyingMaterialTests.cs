using MediaEngine.Dtls;

namespace MediaEngine.Tests.Dtls;

public class SrtpKeyingMaterialTests
{
    [Theory]
    [InlineData(SrtpCryptoSuite.AesCm128HmacSha1_80, 16, 14)]
    [InlineData(SrtpCryptoSuite.AesCm128HmacSha1_32, 16, 14)]
    [InlineData(SrtpCryptoSuite.AeadAes128Gcm, 16, 12)]
    [InlineData(SrtpCryptoSuite.AeadAes256Gcm, 32, 12)]
    public void ExporterOutput_IsSplitPerRfc5764(SrtpCryptoSuite suite, int keyLength, int saltLength)
    {
        byte[] exported = Enumerable.Range(0, SrtpKeyingMaterial.ExportedLength(suite)).Select(value => (byte)value).ToArray();
        byte[] clientKey = exported[..keyLength];
        byte[] serverKey = exported[keyLength..(2 * keyLength)];
        byte[] clientSalt = exported[(2 * keyLength)..((2 * keyLength) + saltLength)];
        byte[] serverSalt = exported[((2 * keyLength) + saltLength)..];

        SrtpKeyingMaterial client = SrtpKeyingMaterial.FromExporterOutput(suite, DtlsRole.Client, exported);
        SrtpKeyingMaterial server = SrtpKeyingMaterial.FromExporterOutput(suite, DtlsRole.Server, exported);

        Assert.Equal(2 * (keyLength + saltLength), exported.Length);
        Assert.Equal(saltLength, serverSalt.Length);
        Assert.Equal(suite, client.CryptoSuite);
        Assert.Equal(clientKey, client.LocalMasterKey.ToArray());
        Assert.Equal(clientSalt, client.LocalMasterSalt.ToArray());
        Assert.Equal(serverKey, client.RemoteMasterKey.ToArray());
        Assert.Equal(serverSalt, client.RemoteMasterSalt.ToArray());
        Assert.Equal(serverKey, server.LocalMasterKey.ToArray());
        Assert.Equal(serverSalt, server.LocalMasterSalt.ToArray());
        Assert.Equal(clientKey, server.RemoteMasterKey.ToArray());
        Assert.Equal(clientSalt, server.RemoteMasterSalt.ToArray());
    }

    [Fact]
    public void WrongExporterLength_IsRejected() =>
        Assert.Throws<ArgumentException>(
            () => SrtpKeyingMaterial.FromExporterOutput(SrtpCryptoSuite.AeadAes256Gcm, DtlsRole.Client, new byte[60]));

    [Fact]
    public void AutoRole_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(
            () => SrtpKeyingMaterial.FromExporterOutput(SrtpCryptoSuite.AeadAes128Gcm, DtlsRole.Auto, new byte[56]));
}
