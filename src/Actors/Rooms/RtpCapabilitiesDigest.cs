using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Actors.Rooms;

/// <summary>
/// Names an RTP capability set by a digest of its JSON, so that a room's journal holds each set
/// once: the first PeerJoined with it carries it in full, later ones only its digest.
/// </summary>
public static class RtpCapabilitiesDigest
{
    /// <summary>How many sets a room remembers having journaled in full; a forgotten one is journaled in full again.</summary>
    public const int MaxRemembered = 64;

    public static string Of(JsonElement rtpCapabilities) => Of(rtpCapabilities.GetRawText());

    /// <summary>The first 128 bits of the SHA-256 of the JSON text, in hex.</summary>
    public static string Of(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)).AsSpan(0, 16));
}
