using System.Text;
using AzureCni.Cni;

namespace AzureCni.Fuzz.Targets;

/// <summary>CNI_ARGS as ADD/CHECK (strict) and DEL (lenient) parse it; the only refusal is code 4.</summary>
public static class CniArgsTarget
{
    public static void Run(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        foreach (bool strict in (bool[])[true, false])
        {
            var args = Refusal.Allow(() => CniArgs.Parse(text, strict: strict), Documented);
            if (args is null)
                continue;

            foreach (string key in CniArgs.KnownKeys)
                _ = args.Get(key);

            if (text.Length > 0 && args.Pairs.Count != text.Split(';').Length)
                throw new FuzzInvariantException($"{args.Pairs.Count} pairs from {text.Split(';').Length} parts");
        }
    }

    private static bool Documented(Exception e) => e is CniException { Code: CniErrorCode.InvalidEnvironmentVariables };
}
