using System.Security.Cryptography;
using System.Text;

namespace MediaEngine.Ice;

/// <summary>
/// The binding request a browser sends to an ICE-lite server as the controlling agent (RFC 8445
/// §7.1.1): USERNAME "remote:local", PRIORITY, ICE-CONTROLLING, optionally USE-CANDIDATE, signed with
/// the server's password and fingerprinted. What the load tools' and tests' clients send.
/// </summary>
public static class IceBindingRequest
{
    private const int MaxLength = 256;
    private const uint HostCandidatePriority = 1_845_501_695;
    private const ulong TieBreaker = 42;

    public static byte[] Create(string remoteUsernameFragment, string localUsernameFragment, string remotePassword, bool useCandidate = true)
    {
        var buffer = new byte[MaxLength];
        var writer = new StunMessageWriter(buffer, StunMessageClass.Request, StunMethod.Binding, RandomNumberGenerator.GetBytes(12));
        writer.WriteUsername($"{remoteUsernameFragment}:{localUsernameFragment}");
        writer.WritePriority(HostCandidatePriority);
        writer.WriteIceControlling(TieBreaker);
        if (useCandidate)
            writer.WriteUseCandidate();
        writer.WriteMessageIntegrity(Encoding.UTF8.GetBytes(remotePassword));
        writer.WriteFingerprint();
        return buffer[..writer.Length];
    }
}
