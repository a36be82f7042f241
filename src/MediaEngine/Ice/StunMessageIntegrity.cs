using System.Buffers;
using System.Security.Cryptography;

namespace MediaEngine.Ice;

/// <summary>The MESSAGE-INTEGRITY attribute (RFC 5389 §15.4): HMAC-SHA1 over the message before it.</summary>
internal static class StunMessageIntegrity
{
    public const int ValueLength = 20;

    private const int StackBufferLength = 512;

    /// <summary>
    /// Computes the HMAC of everything before the MESSAGE-INTEGRITY attribute as if the message
    /// ended right after that attribute: the header length is patched in a copy, so attributes
    /// that follow it (FINGERPRINT) do not change the result.
    /// </summary>
    public static void Compute(ReadOnlySpan<byte> messageBeforeIntegrity, ReadOnlySpan<byte> key, Span<byte> hmac)
    {
        byte[]? rented = null;
        Span<byte> input = messageBeforeIntegrity.Length <= StackBufferLength
            ? stackalloc byte[StackBufferLength]
            : rented = ArrayPool<byte>.Shared.Rent(messageBeforeIntegrity.Length);
        input = input[..messageBeforeIntegrity.Length];

        messageBeforeIntegrity.CopyTo(input);
        StunHeader.WriteBodyLength(
            input,
            messageBeforeIntegrity.Length + StunAttributeLayout.HeaderLength + ValueLength - StunHeader.Length);
        HMACSHA1.HashData(key, input, hmac);

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
