namespace AzureCni.Json.TestTypes;

// Shapes from the CNI spec's conflist example: enough to exercise every member kind.

[CniJsonObject]
public partial class TestConfList
{
    public string? CniVersion { get; set; }

    public List<string>? CniVersions { get; set; }

    public required string Name { get; init; }

    public bool DisableCheck { get; set; }

    [JsonName("disableGC")]
    public bool? DisableGc { get; set; }

    public List<TestPlugin> Plugins { get; set; } = [];
}

[CniJsonObject]
public partial class TestPlugin
{
    public string Type { get; set; } = "";

    public string? Mode { get; set; }

    public Dictionary<string, bool>? Capabilities { get; set; }

    public bool? Snat { get; set; }

    public TestIpam? Ipam { get; set; }

    public TestDns? Dns { get; set; }

    public RawJson RuntimeConfig { get; set; }

    [JsonName("cni.dev/valid-attachments")]
    public TestAttachment[]? ValidAttachments { get; set; }

    [JsonUnknownFields]
    public JsonFieldBag? Extra { get; set; }

    [JsonIgnore]
    public string Ignored { get; set; } = "not serialised";
}

[CniJsonObject]
public partial class TestIpam
{
    public string? Type { get; set; }

    public string? Subnet { get; set; }

    [JsonUnknownFields]
    public JsonFieldBag Extra { get; set; } = new();
}

[CniJsonObject]
public partial struct TestDns
{
    public List<string>? Nameservers { get; set; }

    public string? Domain { get; set; }

    public List<string>? Search { get; set; }

    public List<string>? Options { get; set; }
}

[CniJsonObject]
public partial record TestAttachment
{
    [JsonName("containerID")]
    public string? ContainerId { get; init; }

    [JsonName("ifname")]
    public string? IfName { get; init; }
}

/// <summary>Init-only members with initializers, in a class, a derived class and a struct.</summary>
[CniJsonObject]
public partial class TestInitDefaults
{
    public string Mode { get; init; } = "transparent";

    public int Mtu { get; init; } = 1500;

    public List<string> Search { get; init; } = ["default.svc"];

    public required string Name { get; init; }

    [JsonUnknownFields]
    public JsonFieldBag Extra { get; init; } = new();
}

[CniJsonObject]
public sealed partial class TestDerivedInit : TestInitDefaults
{
    public bool? Snat { get; init; } = true;

    public string @class { get; set; } = "keyword";
}

[CniJsonObject]
public readonly partial struct TestReadOnlyStruct
{
    public TestReadOnlyStruct()
    {
    }

    public string Kind { get; init; } = "veth";

    public int? Vlan { get; init; }
}
