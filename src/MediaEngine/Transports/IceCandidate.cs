namespace MediaEngine.Transports;

/// <summary>A host candidate as mediasoup announces it (`ip` is the deprecated twin of `address`).</summary>
public sealed record IceCandidate(string Foundation, uint Priority, string Address, string Protocol, int Port, string? TcpType)
{
    public string Ip => Address;

    public string Type => "host";

    /// <summary>2^24·64 + 2^8·localPreference + 255, localPreference = 10000 − 100·listenInfoIndex.</summary>
    public static uint PriorityFor(int listenInfoIndex) => (1u << 24) * 64 + (1u << 8) * (uint)(10000 - 100 * listenInfoIndex) + 255;

    public static uint UdpPriority { get; } = PriorityFor(0);

    public static uint TcpPriority { get; } = PriorityFor(1);

    public static IceCandidate Udp(string address, int port) => new("udpcandidate", UdpPriority, address, "udp", port, null);

    public static IceCandidate Tcp(string address, int port) => new("tcpcandidate", TcpPriority, address, "tcp", port, "passive");
}
