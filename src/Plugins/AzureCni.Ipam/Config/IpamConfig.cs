using System.Globalization;
using System.Text.Json;
using AzureCni.Cni;

namespace AzureCni.Ipam.Config;

/// <summary>
/// The parts of the network config azure-vnet-ipam reads: the "ipam" object, plus the GC
/// valid-attachments list at the top level.
/// </summary>
public sealed class IpamConfig
{
    public const string DefaultInterfacesFile = "/etc/kubernetes/interfaces.json";
    public const string DefaultQueryUrl = "http://168.63.129.16/machine/plugins?comp=nmagent&type=getinterfaceinfov1";
    public const int DefaultQueryIntervalSeconds = 10;

    public string Type { get; set; } = "";

    /// <summary>azure (default), mas, fileIpam or local.</summary>
    public string Environment { get; set; } = IpamEnvironment.Azure;

    /// <summary>The pool to allocate from; for environment local, the subnet that makes the pool.</summary>
    public string? Subnet { get; set; }

    /// <summary>A specific address to reserve (ADD) or release (DEL).</summary>
    public string? IpAddress { get; set; }

    public int QueryIntervalSeconds { get; set; } = DefaultQueryIntervalSeconds;

    public string? QueryUrl { get; set; }

    public string? InterfacesFile { get; set; }

    /// <summary>Only the "local" address space exists (upstream's "global" was never populated).</summary>
    public string? AddressSpace { get; set; }

    /// <summary>GC: the attachments to keep; null when the config carries no list.</summary>
    public List<Attachment>? ValidAttachments { get; set; }

    public string EffectiveQueryUrl => string.IsNullOrEmpty(QueryUrl) ? DefaultQueryUrl : QueryUrl;

    public string EffectiveInterfacesFile => string.IsNullOrEmpty(InterfacesFile) ? DefaultInterfacesFile : InterfacesFile;

    /// <summary>Parses a whole network config; throws CniException(7) naming what is wrong.</summary>
    public static IpamConfig Parse(ReadOnlySpan<byte> json)
    {
        var config = new IpamConfig();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            Expect(ref reader, JsonTokenType.StartObject, "network config");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                if (Is(name, "ipam"))
                {
                    ReadIpam(ref reader, config);
                }
                else if (Is(name, "cni.dev/valid-attachments") || (Is(name, "cni.dev/attachments") && config.ValidAttachments is null))
                {
                    config.ValidAttachments = ReadAttachments(ref reader, name);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "failed to parse the network config: " + e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "failed to parse the network config: " + e.Message);
        }

        config.Validate();
        return config;
    }

    private void Validate()
    {
        if (!IpamEnvironment.IsKnown(Environment))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"unknown ipam.environment \"{Environment}\"; expected azure, mas, fileIpam or local");
        }

        if (!string.IsNullOrEmpty(AddressSpace) && !string.Equals(AddressSpace, "local", StringComparison.Ordinal))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"ipam.addressSpace \"{AddressSpace}\" has no pools; only \"local\" is served");
        }

        if (QueryIntervalSeconds < 0)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "ipam.queryInterval must not be negative");
        }

        if (!string.IsNullOrEmpty(Subnet) && !Net.IPMath.TryParseSubnet(Subnet, out _, out _))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"ipam.subnet \"{Subnet}\" is not a CIDR prefix");
        }

        if (!string.IsNullOrEmpty(IpAddress) && !System.Net.IPAddress.TryParse(IpAddress, out _))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"ipam.ipAddress \"{IpAddress}\" is not an IP address");
        }

        if (string.Equals(Environment, IpamEnvironment.Local, StringComparison.Ordinal) && string.IsNullOrEmpty(Subnet))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                "ipam.environment \"local\" needs ipam.subnet, the subnet to hand addresses out from");
        }
    }

    private static void ReadIpam(ref Utf8JsonReader reader, IpamConfig config)
    {
        Expect(ref reader, JsonTokenType.StartObject, "ipam");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (Is(name, "type"))
            {
                config.Type = ReadString(ref reader, name) ?? "";
            }
            else if (Is(name, "environment"))
            {
                string? value = ReadString(ref reader, name);
                config.Environment = string.IsNullOrEmpty(value) ? IpamEnvironment.Azure : value;
            }
            else if (Is(name, "subnet"))
            {
                config.Subnet = ReadString(ref reader, name);
            }
            else if (Is(name, "ipAddress"))
            {
                config.IpAddress = ReadString(ref reader, name);
            }
            else if (Is(name, "queryInterval"))
            {
                config.QueryIntervalSeconds = ReadSeconds(ref reader);
            }
            else if (Is(name, "queryUrl"))
            {
                config.QueryUrl = ReadString(ref reader, name);
            }
            else if (Is(name, "interfacesFile"))
            {
                config.InterfacesFile = ReadString(ref reader, name);
            }
            else if (Is(name, "addressSpace"))
            {
                config.AddressSpace = ReadString(ref reader, name);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static List<Attachment> ReadAttachments(ref Utf8JsonReader reader, string member)
    {
        var list = new List<Attachment>();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return list;
        }

        Expect(ref reader, JsonTokenType.StartArray, member);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartObject, member + " entry");
            string containerId = "";
            string ifName = "";
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                if (Is(name, "containerID"))
                {
                    containerId = ReadString(ref reader, name) ?? "";
                }
                else if (Is(name, "ifname"))
                {
                    ifName = ReadString(ref reader, name) ?? "";
                }
                else
                {
                    reader.Skip();
                }
            }

            list.Add(new Attachment(containerId, ifName));
        }

        return list;
    }

    // Go's encoding/json, which upstream configs were written against, matches names case-insensitively.
    private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType == JsonTokenType.None)
        {
            reader.Read();
        }

        if (reader.TokenType != type)
        {
            throw new JsonException($"{what}: expected {type}, found {reader.TokenType}");
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader, string member) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"\"{member}\" must be a string"),
    };

    // Upstream declares queryInterval as a string; accept a number too.
    private static int ReadSeconds(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int number))
        {
            return number;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            string text = reader.GetString()!;
            if (text.Length == 0)
            {
                return DefaultQueryIntervalSeconds;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return DefaultQueryIntervalSeconds;
        }

        throw new JsonException("\"queryInterval\" must be a whole number of seconds");
    }
}

/// <summary>One (containerID, ifname) pair of the GC valid-attachments list.</summary>
public readonly record struct Attachment(string ContainerId, string IfName);

public static class IpamEnvironment
{
    public const string Azure = "azure";
    public const string Mas = "mas";
    public const string FileIpam = "fileIpam";
    public const string Local = "local";

    public static bool IsKnown(string environment) =>
        environment is Azure or Mas or FileIpam or Local;
}
