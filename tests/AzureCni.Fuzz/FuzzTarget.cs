namespace AzureCni.Fuzz;

/// <summary>
/// One reader of untrusted bytes. <see cref="Run"/> returns when the reader accepted the input or refused it the
/// documented way (its own error type); any other exception escapes, and that is a crash.
/// </summary>
public sealed class FuzzTarget(string name, string reads, Action<byte[]> run)
{
    /// <summary>The name scripts/fuzz.sh and the corpus directory use.</summary>
    public string Name { get; } = name;

    /// <summary>What the bytes are, for the usage text.</summary>
    public string Reads { get; } = reads;

    public void Run(byte[] input) => run(input);

    public override string ToString() => Name;
}

/// <summary>A property of the readers that the input broke (e.g. a written document that does not read back).</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);

/// <summary>Runs one step of a target, swallowing only the refusals the reader documents.</summary>
public static class Refusal
{
    /// <summary>Runs <paramref name="step"/>; true when it completed, false when it refused with a documented exception.</summary>
    public static bool Allow(Action step, Func<Exception, bool> documented)
    {
        try
        {
            step();
            return true;
        }
        catch (Exception e) when (documented(e))
        {
            return false;
        }
    }

    /// <summary>As <see cref="Allow(Action, Func{Exception, bool})"/>, keeping the step's value (default when refused).</summary>
    public static T? Allow<T>(Func<T> step, Func<Exception, bool> documented)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (documented(e))
        {
            return default;
        }
    }
}
