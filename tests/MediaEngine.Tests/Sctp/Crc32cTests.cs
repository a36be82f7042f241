using MediaEngine.Sctp;

namespace MediaEngine.Tests.Sctp;

public class Crc32cTests
{
    [Fact]
    public void Rfc3720_B4_ThirtyTwoZeros() => Assert.Equal(0x8A9136AAu, Crc32c.Compute(new byte[32]));

    [Fact]
    public void Rfc3720_B4_ThirtyTwoOnes() => Assert.Equal(0x62A8AB43u, Crc32c.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));

    [Fact]
    public void Rfc3720_B4_Incrementing() => Assert.Equal(0x46DD794Eu, Crc32c.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));

    [Fact]
    public void Rfc3720_B4_Decrementing() => Assert.Equal(0x113FDB5Cu, Crc32c.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));

    [Fact]
    public void CheckValue() => Assert.Equal(0xE3069283u, Crc32c.Compute("123456789"u8));

    [Fact]
    public void SlicedAndBytewisePathsAgreeOnEveryLength()
    {
        var data = Enumerable.Range(0, 100).Select(i => (byte)(i * 37)).ToArray();
        for (int length = 0; length <= data.Length; length++)
        {
            uint bytewise = 0xFFFFFFFFu;
            foreach (byte value in data.AsSpan(0, length))
            {
                bytewise ^= value;
                for (int bit = 0; bit < 8; bit++)
                {
                    bytewise = (bytewise & 1) != 0 ? (bytewise >> 1) ^ 0x82F63B78u : bytewise >> 1;
                }
            }

            Assert.Equal(~bytewise, Crc32c.Compute(data.AsSpan(0, length)));
        }
    }
}
