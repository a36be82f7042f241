using System.Text;

namespace MediaEngine.Ice;

/// <summary>Local ICE username fragment and password, pre-encoded for per-request checks.</summary>
internal sealed class IceCredentials
{
    private readonly byte[] _usernameFragment;

    public IceCredentials(string usernameFragment, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(usernameFragment);
        ArgumentException.ThrowIfNullOrEmpty(password);
        UsernameFragment = usernameFragment;
        Password = password;
        _usernameFragment = Encoding.UTF8.GetBytes(usernameFragment);
        IntegrityKey = Encoding.UTF8.GetBytes(password);
    }

    public string UsernameFragment { get; }

    public string Password { get; }

    /// <summary>Short-term credentials key MESSAGE-INTEGRITY with the password itself (RFC 5389 §15.4).</summary>
    public byte[] IntegrityKey { get; }

    public bool Authenticate(StunMessageReader request) =>
        request.TryGetUsername(out ReadOnlySpan<byte> username)
        && IsAddressedToUs(username)
        && request.VerifyMessageIntegrity(IntegrityKey);

    /// <summary>
    /// USERNAME is "receiverUfrag:senderUfrag" (RFC 8445 §7.2.2). A lite server learns no remote
    /// ufrag through mediasoup's signaling, so only our half is checked, and the other must be present.
    /// </summary>
    private bool IsAddressedToUs(ReadOnlySpan<byte> username) =>
        username.Length > _usernameFragment.Length + 1
        && username.StartsWith(_usernameFragment)
        && username[_usernameFragment.Length] == (byte)':';
}
