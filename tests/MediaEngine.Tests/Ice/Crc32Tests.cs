using MediaEngine.Ice;

namespace MediaEngine.Tests.Ice;

public class Crc32Tests
{
    [Fact]
    public void StandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void EmptyInput_IsZero()
    {
        Assert.Equal(0u, Crc32.Compute(ReadOnlySpan<byte>.Empty));
    }
}
