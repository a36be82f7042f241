using System.Security.Cryptography;

namespace MediaEngine.Srtp;

/// <summary>
/// GCM by <see cref="AesGcm"/>, for CPUs without PCLMULQDQ. A wrong tag costs an exception here (about 3 µs and
/// 216 bytes on Linux), and on failure the data is zeroed rather than left as it came.
/// </summary>
internal sealed class SystemGcmCipher : GcmCipher
{
    private readonly AesGcm _aesGcm;

    public SystemGcmCipher(ReadOnlySpan<byte> key) => _aesGcm = new AesGcm(key, TagLength);

    public override void Seal(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> associatedData) =>
        _aesGcm.Encrypt(nonce, data, data, tag, associatedData);

    public override bool TryOpen(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        try
        {
            _aesGcm.Decrypt(nonce, data, tag, data, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public override void Dispose() => _aesGcm.Dispose();
}
