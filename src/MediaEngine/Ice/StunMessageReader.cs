using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;

namespace MediaEngine.Ice;

/// <summary>
/// Allocation-free view over a received STUN datagram (RFC 5389 / RFC 8489). <see cref="TryParse"/>
/// validates the framing once; the accessors then read attributes in place. Only the first
/// occurrence of an attribute counts, and attributes after MESSAGE-INTEGRITY other than
/// FINGERPRINT are ignored.
/// </summary>
public readonly ref struct StunMessageReader
{
    private const int Absent = -1;

    private readonly ReadOnlySpan<byte> _message;
    private readonly int _integrityOffset;
    private readonly int _fingerprintOffset;

    private StunMessageReader(ReadOnlySpan<byte> message, int integrityOffset, int fingerprintOffset)
    {
        _message = message;
        _integrityOffset = integrityOffset;
        _fingerprintOffset = fingerprintOffset;
    }

    public StunMessageClass Class => StunHeader.DecodeClass(MessageType);

    public StunMethod Method => StunHeader.DecodeMethod(MessageType);

    public ReadOnlySpan<byte> TransactionId =>
        _message.Slice(StunHeader.TransactionIdOffset, StunHeader.TransactionIdLength);

    public bool HasMessageIntegrity => _integrityOffset != Absent;

    public bool HasFingerprint => _fingerprintOffset != Absent;

    public bool HasUseCandidate => TryGetAttribute(StunAttributeType.UseCandidate, out _);

    public StunAttributeEnumerator Attributes =>
        new(_message, _integrityOffset == Absent
            ? _message.Length
            : _integrityOffset + StunAttributeLayout.HeaderLength + StunMessageIntegrity.ValueLength);

    private ushort MessageType => BinaryPrimitives.ReadUInt16BigEndian(_message);

    /// <summary>
    /// Accepts the datagram only if it is exactly one well-formed STUN message: top two bits zero,
    /// magic cookie, a body length that is a multiple of four and matches the datagram, attributes
    /// that stay inside the message, MESSAGE-INTEGRITY and FINGERPRINT of their fixed sizes and
    /// FINGERPRINT last. Never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out StunMessageReader message)
    {
        message = default;
        if (datagram.Length < StunHeader.Length
            || (datagram[0] & 0xC0) != 0
            || BinaryPrimitives.ReadUInt32BigEndian(datagram[StunHeader.MagicCookieOffset..]) != StunHeader.MagicCookie)
        {
            return false;
        }

        int bodyLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[StunHeader.BodyLengthOffset..]);
        if (bodyLength % 4 != 0 || StunHeader.Length + bodyLength != datagram.Length)
        {
            return false;
        }

        int integrityOffset = Absent;
        int fingerprintOffset = Absent;
        // Offsets advance in multiples of four inside a body whose length is a multiple of four,
        // so a whole attribute header always fits once the loop condition holds.
        for (int offset = StunHeader.Length; offset < datagram.Length;)
        {
            if (fingerprintOffset != Absent)
            {
                return false;
            }

            var type = (StunAttributeType)BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            int next = offset + StunAttributeLayout.HeaderLength + StunAttributeLayout.PaddedLength(valueLength);
            if (next > datagram.Length)
            {
                return false;
            }

            if (type == StunAttributeType.MessageIntegrity && integrityOffset == Absent)
            {
                if (valueLength != StunMessageIntegrity.ValueLength)
                {
                    return false;
                }

                integrityOffset = offset;
            }
            else if (type == StunAttributeType.Fingerprint)
            {
                if (valueLength != StunFingerprint.ValueLength)
                {
                    return false;
                }

                fingerprintOffset = offset;
            }

            offset = next;
        }

        message = new StunMessageReader(datagram, integrityOffset, fingerprintOffset);
        return true;
    }

    public bool TryGetAttribute(StunAttributeType type, out ReadOnlySpan<byte> value)
    {
        foreach (StunAttribute attribute in Attributes)
        {
            if (attribute.Type == type)
            {
                value = attribute.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The USERNAME as raw UTF-8; ICE compares it byte-wise against "localUfrag:remoteUfrag".</summary>
    public bool TryGetUsername(out ReadOnlySpan<byte> username) =>
        TryGetAttribute(StunAttributeType.Username, out username);

    public bool TryGetPriority(out uint priority)
    {
        priority = 0;
        if (!TryGetAttribute(StunAttributeType.Priority, out ReadOnlySpan<byte> value) || value.Length != sizeof(uint))
        {
            return false;
        }

        priority = BinaryPrimitives.ReadUInt32BigEndian(value);
        return true;
    }

    public bool TryGetIceControlling(out ulong tieBreaker) =>
        TryGetTieBreaker(StunAttributeType.IceControlling, out tieBreaker);

    public bool TryGetIceControlled(out ulong tieBreaker) =>
        TryGetTieBreaker(StunAttributeType.IceControlled, out tieBreaker);

    /// <summary>Decodes XOR-MAPPED-ADDRESS; only the returned endpoint is allocated.</summary>
    public bool TryGetXorMappedAddress([NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (!TryGetAttribute(StunAttributeType.XorMappedAddress, out ReadOnlySpan<byte> value)
            || value.Length < StunXorAddress.ValuePrefixLength)
        {
            return false;
        }

        int addressLength = value[1] switch
        {
            StunXorAddress.IPv4Family => StunXorAddress.IPv4Length,
            StunXorAddress.IPv6Family => StunXorAddress.IPv6Length,
            _ => 0,
        };
        if (addressLength == 0 || value.Length != StunXorAddress.ValuePrefixLength + addressLength)
        {
            return false;
        }

        int port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ StunXorAddress.PortMask;
        Span<byte> address = stackalloc byte[addressLength];
        StunXorAddress.Apply(value[StunXorAddress.ValuePrefixLength..], StunXorAddress.Mask(_message), address);
        endPoint = new IPEndPoint(new IPAddress(address), port);
        return true;
    }

    /// <summary>Decodes ERROR-CODE into its numeric code (300–699) and UTF-8 reason phrase.</summary>
    public bool TryGetErrorCode(out int code, out ReadOnlySpan<byte> reasonPhrase)
    {
        code = 0;
        reasonPhrase = default;
        if (!TryGetAttribute(StunAttributeType.ErrorCode, out ReadOnlySpan<byte> value) || value.Length < 4)
        {
            return false;
        }

        int hundreds = value[2] & 0x07;
        int remainder = value[3];
        if (hundreds is < 3 or > 6 || remainder > 99)
        {
            return false;
        }

        code = (hundreds * 100) + remainder;
        reasonPhrase = value[4..];
        return true;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY with <paramref name="key"/>: for short-term credentials the key
    /// is the password's UTF-8 bytes, for long-term ones MD5(username ":" realm ":" password).
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (!HasMessageIntegrity)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[StunMessageIntegrity.ValueLength];
        StunMessageIntegrity.Compute(_message[.._integrityOffset], key, expected);
        ReadOnlySpan<byte> received = _message.Slice(
            _integrityOffset + StunAttributeLayout.HeaderLength,
            StunMessageIntegrity.ValueLength);
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }

    public bool VerifyFingerprint()
    {
        if (!HasFingerprint)
        {
            return false;
        }

        uint received = BinaryPrimitives.ReadUInt32BigEndian(
            _message[(_fingerprintOffset + StunAttributeLayout.HeaderLength)..]);
        return StunFingerprint.Compute(_message[.._fingerprintOffset]) == received;
    }

    private bool TryGetTieBreaker(StunAttributeType type, out ulong tieBreaker)
    {
        tieBreaker = 0;
        if (!TryGetAttribute(type, out ReadOnlySpan<byte> value) || value.Length != sizeof(ulong))
        {
            return false;
        }

        tieBreaker = BinaryPrimitives.ReadUInt64BigEndian(value);
        return true;
    }
}
