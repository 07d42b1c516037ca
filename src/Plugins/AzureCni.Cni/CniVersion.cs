namespace AzureCni.Cni;

/// <summary>The CNI spec versions this implementation speaks, in order; compare them as enum values.</summary>
public enum SpecVersion
{
    V0_1_0,
    V0_2_0,
    V0_3_0,
    V0_3_1,
    V0_4_0,
    V1_0_0,
    V1_1_0,
}

/// <summary>Spec version names, parsing and the per-command gates.</summary>
public static class CniVersion
{
    /// <summary>The newest version: what VERSION reports and what errors use when the config's is unusable.</summary>
    public const string Current = "1.1.0";

    /// <summary>Upstream Azure CNI (and thus our) reading of a config without cniVersion.</summary>
    public const string Default = "0.2.0";

    /// <summary>Every supported version, oldest first, as VERSION lists them.</summary>
    public static readonly string[] Supported = ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    public static string ToVersionString(this SpecVersion version) => Supported[(int)version];

    public static bool TryParse(ReadOnlySpan<char> text, out SpecVersion version)
    {
        for (int i = 0; i < Supported.Length; i++)
        {
            if (text.SequenceEqual(Supported[i]))
            {
                version = (SpecVersion)i;
                return true;
            }
        }

        version = default;
        return false;
    }

    /// <summary>Parses a config's cniVersion: empty means <see cref="Default"/>; an unknown one is error code 1.</summary>
    public static SpecVersion ParseConfigVersion(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return SpecVersion.V0_2_0;

        if (TryParse(text, out var version))
            return version;

        throw new CniException(
            CniErrorCode.IncompatibleCniVersion,
            "incompatible CNI versions",
            $"config is \"{text}\", plugin supports [\"{string.Join("\" \"", Supported)}\"]");
    }

    /// <summary>True when results of this version have the 0.1.0/0.2.0 ip4/ip6 shape.</summary>
    public static bool IsLegacy(this SpecVersion version) => version <= SpecVersion.V0_2_0;

    /// <summary>The spec's gates: CHECK from 0.4.0, GC and STATUS from 1.1.0; error code 1 otherwise.</summary>
    public static void EnsureCommandAllowed(CniCommand command, SpecVersion version)
    {
        var minimum = command switch
        {
            CniCommand.Check => SpecVersion.V0_4_0,
            CniCommand.Gc or CniCommand.Status => SpecVersion.V1_1_0,
            _ => SpecVersion.V0_1_0,
        };

        if (version < minimum)
        {
            throw new CniException(
                CniErrorCode.IncompatibleCniVersion,
                $"config version does not allow {CommandName(command)}",
                $"config is \"{version.ToVersionString()}\"; {CommandName(command)} needs {minimum.ToVersionString()} or later");
        }
    }

    public static string CommandName(CniCommand command) => command switch
    {
        CniCommand.Add => "ADD",
        CniCommand.Del => "DEL",
        CniCommand.Check => "CHECK",
        CniCommand.Gc => "GC",
        CniCommand.Status => "STATUS",
        _ => "VERSION",
    };

    public static bool TryParseCommand(string text, out CniCommand command)
    {
        switch (text)
        {
            case "ADD": command = CniCommand.Add; return true;
            case "DEL": command = CniCommand.Del; return true;
            case "CHECK": command = CniCommand.Check; return true;
            case "GC": command = CniCommand.Gc; return true;
            case "STATUS": command = CniCommand.Status; return true;
            case "VERSION": command = CniCommand.Version; return true;
            default: command = default; return false;
        }
    }
}
