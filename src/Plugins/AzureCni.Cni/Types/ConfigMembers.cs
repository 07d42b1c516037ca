using System.Text.Json;
using AzureCni.Json;

namespace AzureCni.Cni.Types;

/// <summary>
/// A plugin's own members of the network config, read from the raw fields <see cref="NetConf"/> kept: stdin is parsed
/// once, by the host, and each layer takes what it needs from that. Names match as the generated readers match them
/// (exactly, else ignoring ASCII case).
/// </summary>
public static class ConfigMembers
{
    /// <summary>The raw value of <paramref name="name"/>, or an empty one when absent.</summary>
    public static RawJson Raw(JsonFieldBag? members, string name)
    {
        if (members is null)
            return default;
        if (members.TryGet(name, out var exact))
            return exact;
        foreach (var (key, value) in members)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(key, name))
                return value;
        }

        return default;
    }

    /// <summary>A string member; null when absent or null; code 6 (decoding failure) when it is not a string.</summary>
    public static string? String(JsonFieldBag? members, string name, string owner)
    {
        RawJson value = Raw(members, name);
        return value.TokenType switch
        {
            JsonTokenType.None or JsonTokenType.Null => null,
            JsonTokenType.String => value.GetString(),
            _ => throw new CniException(CniErrorCode.DecodingFailure, $"{owner}: cannot read the network config: \"{name}\" is not a string"),
        };
    }

    /// <summary>An array of strings; null when absent or null; code 6 (decoding failure) when it is anything else.</summary>
    public static List<string>? Strings(JsonFieldBag? members, string name, string owner)
    {
        RawJson value = Raw(members, name);
        if (value.TokenType is JsonTokenType.None or JsonTokenType.Null)
            return null;

        var reader = value.CreateReader();
        var items = new List<string>();
        if (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.String)
                items.Add(reader.GetString()!);

            if (reader.TokenType == JsonTokenType.EndArray)
                return items;
        }

        throw new CniException(CniErrorCode.DecodingFailure, $"{owner}: cannot read the network config: \"{name}\" is not an array of strings");
    }
}
