using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace MediaEngine.Ice;

/// <summary>
/// Writes a STUN message into a caller-provided buffer without allocating. The header is written
/// on construction and its length field is kept current after every attribute, so
/// <see cref="WriteMessageIntegrity"/> and then <see cref="WriteFingerprint"/> must come last, in
/// that order. Padding bytes are written as zero. Running out of room throws
/// <see cref="InvalidOperationException"/>: buffer sizing is the caller's responsibility.
/// </summary>
public ref struct StunMessageWriter
{
    private readonly Span<byte> _destination;
    private int _length;

    public StunMessageWriter(
        Span<byte> destination,
        StunMessageClass messageClass,
        StunMethod method,
        ReadOnlySpan<byte> transactionId)
    {
        if (transactionId.Length != StunHeader.TransactionIdLength)
        {
            throw new ArgumentException(
                $"A STUN transaction id is {StunHeader.TransactionIdLength} bytes long.", nameof(transactionId));
        }

        if (destination.Length < StunHeader.Length)
        {
            throw new ArgumentException("The destination cannot hold a STUN header.", nameof(destination));
        }

        _destination = destination;
        BinaryPrimitives.WriteUInt16BigEndian(destination, StunHeader.EncodeMessageType(messageClass, method));
        BinaryPrimitives.WriteUInt32BigEndian(destination[StunHeader.MagicCookieOffset..], StunHeader.MagicCookie);
        transactionId.CopyTo(destination[StunHeader.TransactionIdOffset..]);
        _length = StunHeader.Length;
        StunHeader.WriteBodyLength(destination, 0);
    }

    /// <summary>Number of bytes written so far: the message is <c>destination[..Length]</c>.</summary>
    public readonly int Length => _length;

    /// <summary>
    /// Writes a binding success response carrying the requester's address as XOR-MAPPED-ADDRESS,
    /// authenticated with <paramref name="integrityKey"/>, then FINGERPRINT. Returns the length.
    /// </summary>
    public static int WriteBindingSuccessResponse(
        Span<byte> destination,
        ReadOnlySpan<byte> transactionId,
        IPEndPoint mappedAddress,
        ReadOnlySpan<byte> integrityKey)
    {
        var writer = new StunMessageWriter(destination, StunMessageClass.SuccessResponse, StunMethod.Binding, transactionId);
        writer.WriteXorMappedAddress(mappedAddress);
        writer.WriteMessageIntegrity(integrityKey);
        writer.WriteFingerprint();
        return writer.Length;
    }

    /// <summary>
    /// Writes a binding error response with ERROR-CODE, then MESSAGE-INTEGRITY unless
    /// <paramref name="integrityKey"/> is empty, then FINGERPRINT. Returns the length.
    /// 400 and 401 responses must be left unauthenticated (RFC 5389 §10.1.2).
    /// </summary>
    public static int WriteBindingErrorResponse(
        Span<byte> destination,
        ReadOnlySpan<byte> transactionId,
        StunErrorCode errorCode,
        ReadOnlySpan<byte> integrityKey)
    {
        var writer = new StunMessageWriter(destination, StunMessageClass.ErrorResponse, StunMethod.Binding, transactionId);
        writer.WriteErrorCode(errorCode);
        if (!integrityKey.IsEmpty)
        {
            writer.WriteMessageIntegrity(integrityKey);
        }

        writer.WriteFingerprint();
        return writer.Length;
    }

    public void WriteAttribute(StunAttributeType type, ReadOnlySpan<byte> value) =>
        value.CopyTo(AppendAttribute(type, value.Length));

    public void WriteUsername(ReadOnlySpan<char> username)
    {
        Span<byte> value = AppendAttribute(StunAttributeType.Username, Encoding.UTF8.GetByteCount(username));
        Encoding.UTF8.GetBytes(username, value);
    }

    public void WritePriority(uint priority) =>
        BinaryPrimitives.WriteUInt32BigEndian(AppendAttribute(StunAttributeType.Priority, sizeof(uint)), priority);

    public void WriteUseCandidate() => AppendAttribute(StunAttributeType.UseCandidate, 0);

    public void WriteIceControlling(ulong tieBreaker) =>
        BinaryPrimitives.WriteUInt64BigEndian(AppendAttribute(StunAttributeType.IceControlling, sizeof(ulong)), tieBreaker);

    public void WriteIceControlled(ulong tieBreaker) =>
        BinaryPrimitives.WriteUInt64BigEndian(AppendAttribute(StunAttributeType.IceControlled, sizeof(ulong)), tieBreaker);

    public void WriteXorMappedAddress(IPEndPoint endPoint)
    {
        Span<byte> address = stackalloc byte[StunXorAddress.IPv6Length];
        endPoint.Address.TryWriteBytes(address, out int addressLength);
        address = address[..addressLength];
        // Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; the peer knows itself by the IPv4 address.
        if (endPoint.Address.IsIPv4MappedToIPv6)
        {
            address = address[^StunXorAddress.IPv4Length..];
        }

        Span<byte> value = AppendAttribute(
            StunAttributeType.XorMappedAddress,
            StunXorAddress.ValuePrefixLength + address.Length);
        value[0] = 0;
        value[1] = address.Length == StunXorAddress.IPv4Length ? StunXorAddress.IPv4Family : StunXorAddress.IPv6Family;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(endPoint.Port ^ StunXorAddress.PortMask));
        StunXorAddress.Apply(address, StunXorAddress.Mask(_destination), value[StunXorAddress.ValuePrefixLength..]);
    }

    public void WriteErrorCode(StunErrorCode errorCode)
    {
        ReadOnlySpan<byte> reasonPhrase = ReasonPhrase(errorCode);
        Span<byte> value = AppendAttribute(StunAttributeType.ErrorCode, 4 + reasonPhrase.Length);
        int code = (int)errorCode;
        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        reasonPhrase.CopyTo(value[4..]);
    }

    /// <summary>
    /// Appends MESSAGE-INTEGRITY computed with <paramref name="key"/> (for short-term credentials,
    /// the password's UTF-8 bytes) over everything written so far.
    /// </summary>
    public void WriteMessageIntegrity(ReadOnlySpan<byte> key)
    {
        int attributeOffset = _length;
        Span<byte> value = AppendAttribute(StunAttributeType.MessageIntegrity, StunMessageIntegrity.ValueLength);
        StunMessageIntegrity.Compute(_destination[..attributeOffset], key, value);
    }

    public void WriteFingerprint()
    {
        int attributeOffset = _length;
        Span<byte> value = AppendAttribute(StunAttributeType.Fingerprint, StunFingerprint.ValueLength);
        BinaryPrimitives.WriteUInt32BigEndian(value, StunFingerprint.Compute(_destination[..attributeOffset]));
    }

    private static ReadOnlySpan<byte> ReasonPhrase(StunErrorCode errorCode) => errorCode switch
    {
        StunErrorCode.BadRequest => "Bad Request"u8,
        StunErrorCode.Unauthorized => "Unauthorized"u8,
        StunErrorCode.RoleConflict => "Role Conflict"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(errorCode), errorCode, "Unknown STUN error code."),
    };

    /// <summary>Writes the attribute header and zero padding, updates the header length and returns the value slot.</summary>
    private Span<byte> AppendAttribute(StunAttributeType type, int valueLength)
    {
        int attributeLength = StunAttributeLayout.HeaderLength + StunAttributeLayout.PaddedLength(valueLength);
        if (valueLength > ushort.MaxValue || attributeLength > _destination.Length - _length)
        {
            throw new InvalidOperationException($"The destination has no room for the {type} attribute.");
        }

        Span<byte> attribute = _destination.Slice(_length, attributeLength);
        BinaryPrimitives.WriteUInt16BigEndian(attribute, (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(attribute[2..], (ushort)valueLength);
        attribute[(StunAttributeLayout.HeaderLength + valueLength)..].Clear();

        _length += attributeLength;
        StunHeader.WriteBodyLength(_destination, _length - StunHeader.Length);
        return attribute.Slice(StunAttributeLayout.HeaderLength, valueLength);
    }
}
