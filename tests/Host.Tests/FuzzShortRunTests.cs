using Fuzz;

namespace Host.Tests;

/// <summary>
/// The fuzz targets (fuzz/, run long under AFL by scripts/fuzz.sh) for a short, repeatable run in the
/// suite: every seed, then 5,000 mutations of them (bit flips, odd bytes, cuts, insertions, splices,
/// huge length fields), from a fixed random seed; none may throw.
/// </summary>
public sealed class FuzzShortRunTests
{
    public static TheoryData<string> Targets => new(FuzzTargets.All.Keys);

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seeds_and_their_mutations_never_throw(string target)
    {
        var run = FuzzTargets.All[target];
        var seeds = Seeds.All[target];
        var random = new Random(target.Sum(c => c));
        foreach (var seed in seeds)
            Run(target, run, seed);
        for (var i = 0; i < 5_000; i++)
            Run(target, run, Mutate(seeds[random.Next(seeds.Count)], seeds, random));
    }

    private static void Run(string target, Action<byte[]> run, byte[] input)
    {
        try
        {
            run(input);
        }
        catch (Exception e)
        {
            Assert.Fail($"{target} threw {e.GetType().Name} ({e.Message}) for {Convert.ToHexString(input)}\n{e.StackTrace}");
        }
    }

    private static readonly byte[] OddBytes = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];

    private static byte[] Mutate(byte[] seed, IReadOnlyList<byte[]> seeds, Random random)
    {
        var bytes = seed.ToList();
        for (var step = random.Next(1, 5); step > 0; step--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = OddBytes[random.Next(OddBytes.Length)];
                    break;
                case 2 when bytes.Count > 1:
                    bytes[at] = 0xff;
                    bytes[Math.Min(at + 1, bytes.Count - 1)] = 0xff;
                    break;
                case 3:
                    bytes.RemoveRange(at, random.Next(bytes.Count - at + 1));
                    break;
                case 4:
                    var inserted = new byte[random.Next(1, 64)];
                    random.NextBytes(inserted);
                    bytes.InsertRange(at, inserted);
                    break;
                case 5:
                    var other = seeds[random.Next(seeds.Count)];
                    var from = random.Next(other.Length);
                    bytes.InsertRange(at, other.Skip(from).Take(random.Next(1, other.Length - from + 1)));
                    break;
                default:
                    if (bytes.Count > 0)
                        bytes.RemoveAt(at);
                    break;
            }
        }
        return bytes.ToArray();
    }
}
