namespace AzureCni.Json.TestTypes;

// A CNI 1.1.0 result, declared in a partial container to exercise nested types.

public static partial class TestResults
{
    [CniJsonObject]
    public sealed partial class Result
    {
        public required string CniVersion { get; set; }

        public List<Interface>? Interfaces { get; set; }

        [JsonName("ips")]
        public List<IpConfig>? Ips { get; set; }

        public List<Route>? Routes { get; set; }

        public TestDns? Dns { get; set; }
    }

    [CniJsonObject]
    public sealed partial class Interface
    {
        public string Name { get; set; } = "";

        public string? Mac { get; set; }

        public int? Mtu { get; set; }

        public string? Sandbox { get; set; }

        public string? SocketPath { get; set; }

        [JsonName("pciID")]
        public string? PciId { get; set; }
    }

    [CniJsonObject]
    public sealed partial class IpConfig
    {
        public string Address { get; set; } = "";

        public string? Gateway { get; set; }

        public int? Interface { get; set; }
    }

    [CniJsonObject]
    public sealed partial class Route
    {
        public string Dst { get; set; } = "";

        public string? Gw { get; set; }

        public int? Mtu { get; set; }

        [JsonName("advmss")]
        public int? AdvMss { get; set; }

        public int? Priority { get; set; }

        public int? Table { get; set; }

        public int? Scope { get; set; }
    }
}

/// <summary>Every scalar kind, for the type round-trip and error tests.</summary>
[CniJsonObject]
public partial class TestScalars
{
    public string? Text { get; set; }
    public bool Flag { get; set; }
    public sbyte I8 { get; set; }
    public byte U8 { get; set; }
    public short I16 { get; set; }
    public ushort U16 { get; set; }
    public int I32 { get; set; }
    public uint U32 { get; set; }
    public long I64 { get; set; }
    public ulong U64 { get; set; }
    public double Real { get; set; }
    public int? MaybeInt { get; set; }
    public double? MaybeReal { get; set; }
    public int[]? Numbers { get; set; }
    public List<List<string?>>? Nested { get; set; }
    public Dictionary<string, int?>? Counts { get; set; }
    public List<RawJson>? Raws { get; set; }
    public JsonFieldBag? Free { get; set; }
    public RawJson? MaybeRaw { get; set; }
}
