using AzureCni.Fuzz;
using SharpFuzz;

// AzureCni.Fuzz <target>           the target under afl-fuzz (SharpFuzz's fork server; the input on stdin)
// AzureCni.Fuzz <target> <file>... replays files through the target in this process (a crash's stack trace)
if (args.Length == 0 || FuzzTargets.Find(args[0]) is not { } target)
{
    Console.Error.WriteLine("usage: AzureCni.Fuzz <target> [input-file...]; targets:");
    foreach (var t in FuzzTargets.All)
        Console.Error.WriteLine($"  {t.Name,-16} {t.Reads}");
    return 2;
}

if (args.Length > 1)
{
    foreach (string path in args[1..])
    {
        target.Run(File.ReadAllBytes(path));
        Console.WriteLine($"{path}: ok");
    }

    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var input = new MemoryStream();
    stream.CopyTo(input);
    target.Run(input.ToArray());
});
return 0;
