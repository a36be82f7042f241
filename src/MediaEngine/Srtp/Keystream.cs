using System.Numerics;

namespace MediaEngine.Srtp;

internal static class Keystream
{
    /// <summary>XORs <paramref name="keystream"/> into <paramref name="data"/>; the keystream is at least as long.</summary>
    public static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        int offset = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; offset <= data.Length - Vector<byte>.Count; offset += Vector<byte>.Count)
            {
                var mixed = new Vector<byte>(data[offset..]) ^ new Vector<byte>(keystream[offset..]);
                mixed.CopyTo(data[offset..]);
            }
        }

        for (; offset < data.Length; offset++)
        {
            data[offset] ^= keystream[offset];
        }
    }
}
