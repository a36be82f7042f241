using System.Security.Cryptography;

namespace MediaEngine.Transports;

/// <summary>iceParameters of a WebRtcTransport: mediasoup is always ICE-lite.</summary>
public sealed record IceParameters(string UsernameFragment, string Password)
{
    public bool IceLite => true;

    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>32 random characters of [0-9a-z] each, as mediasoup generates them.</summary>
    public static IceParameters Generate() =>
        new(RandomNumberGenerator.GetString(Alphabet, 32), RandomNumberGenerator.GetString(Alphabet, 32));
}
