namespace MediaEngine.Rtp;

/// <summary>The SSRCs the media engine picks itself, for mapped producer streams and for consumers.</summary>
public static class RandomSsrc
{
    public const uint Min = 100_000_000;

    public const uint Max = 999_999_999;

    /// <summary>A uniformly random SSRC in [<see cref="Min"/>, <see cref="Max"/>].</summary>
    public static uint Next() => (uint)Random.Shared.NextInt64(Min, Max + 1L);
}
