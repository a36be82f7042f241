namespace MediaEngine.Dtls;

public static class DtlsRoles
{
    /// <summary>The lower-case name mediasoup uses on the wire: 'auto', 'client' or 'server'.</summary>
    public static string ToMediasoupName(this DtlsRole role) => role switch
    {
        DtlsRole.Auto => "auto",
        DtlsRole.Client => "client",
        DtlsRole.Server => "server",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown DTLS role."),
    };

    public static bool TryParse(string? name, out DtlsRole role)
    {
        switch (name)
        {
            case "auto":
                role = DtlsRole.Auto;
                return true;
            case "client":
                role = DtlsRole.Client;
                return true;
            case "server":
                role = DtlsRole.Server;
                return true;
            default:
                role = default;
                return false;
        }
    }

    /// <summary>
    /// Our role once connectWebRtcTransport tells the remote's: the opposite one. A remote 'auto'
    /// makes us the client, as mediasoup does. (mediasoup-client normally sends 'client', so we serve.)
    /// </summary>
    public static DtlsRole LocalRoleFor(DtlsRole remoteRole) => remoteRole switch
    {
        DtlsRole.Client => DtlsRole.Server,
        DtlsRole.Server or DtlsRole.Auto => DtlsRole.Client,
        _ => throw new ArgumentOutOfRangeException(nameof(remoteRole), remoteRole, "Unknown DTLS role."),
    };
}
