using Fuzz;
using SharpFuzz;

// Fuzz TARGET                 run TARGET under AFL (through SharpFuzz; see scripts/fuzz.sh)
// Fuzz --write-corpus DIR     write every target's seeds to DIR/TARGET/
if (args is ["--write-corpus", var directory])
{
    foreach (var (target, seeds) in Seeds.All)
    {
        Directory.CreateDirectory(Path.Combine(directory, target));
        for (var i = 0; i < seeds.Count; i++)
            File.WriteAllBytes(Path.Combine(directory, target, $"seed-{i}"), seeds[i]);
    }
    return 0;
}
if (args is not [var name] || !FuzzTargets.All.TryGetValue(name, out var run))
{
    Console.Error.WriteLine($"usage: Fuzz TARGET | --write-corpus DIR; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    run(memory.ToArray());
});
return 0;
