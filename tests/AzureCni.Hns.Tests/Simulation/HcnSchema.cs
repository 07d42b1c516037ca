using System.Net;
using System.Text.Json;

namespace AzureCni.Hns.Tests.Simulation;

/// <summary>
/// The HCN v2 and HNS v1 documents the simulated HNS accepts, written from the hcsshim hcn schema types
/// (field names and types) and the HCN JSON schema reference. Validation is strict where HNS is lenient:
/// member names match exactly, an undeclared member is an error, required members must be present.
/// </summary>
internal static class HcnSchema
{
    private static readonly Shape Guid = new StringShape(s => System.Guid.TryParse(s, out _), "a GUID");
    private static readonly Shape Text = new StringShape(null, "a string");
    private static readonly Shape Ip = new StringShape(s => IPAddress.TryParse(s, out _), "an IP address");
    private static readonly Shape Cidr = new StringShape(s => IPNetwork.TryParse(s, out _) || IsHostPrefix(s), "a CIDR prefix");
    private static readonly Shape UInt8 = new UIntShape(byte.MaxValue);
    private static readonly Shape UInt16 = new UIntShape(ushort.MaxValue);
    private static readonly Shape UInt32 = new UIntShape(uint.MaxValue);
    private static readonly Shape Bool = new BoolShape();

    private static Shape OneOf(params string[] values) => new StringShape(values.Contains, "one of " + string.Join("/", values));

    private static Shape Array(Shape items) => new ArrayShape(items);

    private static ObjectShape Object(params (string Name, Shape Shape, bool Required)[] members) => new(members.ToDictionary(m => m.Name, m => (m.Shape, m.Required), StringComparer.Ordinal));

    private static (string, Shape, bool) Req(string name, Shape shape) => (name, shape, true);

    private static (string, Shape, bool) Opt(string name, Shape shape) => (name, shape, false);

    public static readonly ObjectShape SchemaVersion = Object(Req("Major", UInt32), Req("Minor", UInt32));

    public static readonly ObjectShape Route = Object(Req("NextHop", Ip), Req("DestinationPrefix", Cidr), Opt("Metric", UInt16));

    public static readonly ObjectShape Dns = Object(Opt("Suffix", Text), Opt("Search", Array(Text)), Opt("ServerList", Array(Ip)), Opt("Options", Array(Text)));

    public static readonly ObjectShape Subnet = Object(Req("IpAddressPrefix", Cidr), Opt("Routes", Array(Route)), Opt("Policies", Array(new AnyShape())));

    public static readonly ObjectShape Ipam = Object(Req("Type", OneOf("Static", "DHCP")), Opt("Subnets", Array(Subnet)));

    public static readonly Shape NetworkPolicy = new PolicyShape(new Dictionary<string, ObjectShape>
    {
        ["NetAdapterName"] = Object(Req("NetworkAdapterName", Text)),
    });

    public static readonly ObjectShape Network = Object(
        Opt("ID", Guid), Req("Name", Text), Req("Type", OneOf("NAT", "ICS", "Transparent", "L2Bridge", "L2Tunnel", "Overlay", "Private")),
        Opt("Policies", Array(NetworkPolicy)), Opt("Dns", Dns), Opt("Ipams", Array(Ipam)), Opt("Flags", UInt32),
        Req("SchemaVersion", SchemaVersion));

    public static readonly Shape EndpointPolicy = new PolicyShape(new Dictionary<string, ObjectShape>
    {
        ["OutBoundNAT"] = Object(Opt("VirtualIP", Ip), Opt("Exceptions", Array(Cidr)), Opt("Destinations", Array(Ip)), Opt("Flags", UInt32), Opt("MaxPortPoolUsage", UInt16)),
        ["SDNRoute"] = Object(Req("DestinationPrefix", Cidr), Opt("NextHop", Ip), Opt("NeedEncap", Bool)),
        ["PortMapping"] = Object(Req("Protocol", new UIntShape(255, [6, 17])), Req("InternalPort", UInt16), Req("ExternalPort", UInt16), Opt("VIP", Ip), Opt("Flags", UInt32)),
        ["ACL"] = Object(Opt("Id", Text), Opt("Protocols", Text), Req("Action", OneOf("Allow", "Block")), Req("Direction", OneOf("In", "Out")),
            Opt("LocalAddresses", Text), Opt("RemoteAddresses", Text), Opt("LocalPorts", Text), Opt("RemotePorts", Text),
            Opt("RuleType", OneOf("Host", "Switch")), Opt("Priority", UInt16)),
    });

    public static readonly ObjectShape IpConfig = Object(Req("IpAddress", Ip), Opt("PrefixLength", UInt8));

    public static readonly ObjectShape Endpoint = Object(
        Opt("ID", Guid), Req("Name", Text), Req("HostComputeNetwork", Guid), Opt("Policies", Array(EndpointPolicy)),
        Opt("IpConfigurations", Array(IpConfig)), Opt("Dns", Dns), Opt("Routes", Array(Route)), Opt("MacAddress", Text),
        Opt("Flags", UInt32), Req("SchemaVersion", SchemaVersion));

    public static readonly ObjectShape Namespace = Object(
        Opt("ID", Guid), Opt("NamespaceId", UInt32), Req("Type", OneOf("Host", "HostDefault", "Guest", "GuestDefault")),
        Req("SchemaVersion", SchemaVersion), Opt("ReadyOnCreate", Bool));

    public static readonly ObjectShape ModifyNamespace = Object(
        Req("ResourceType", OneOf("Endpoint", "Container")), Req("RequestType", OneOf("Add", "Remove")),
        Req("Settings", Object(Req("EndpointId", Guid))));

    public static readonly ObjectShape QueryFilter = Object(Opt("ID", Guid), Opt("Name", Text), Opt("HostComputeNetwork", Guid), Opt("VirtualNetwork", Guid));

    public static readonly ObjectShape Query = Object(Req("SchemaVersion", SchemaVersion), Opt("Flags", UInt32), Opt("Filter", new EmbeddedJsonShape(QueryFilter)));

    public static readonly ObjectShape V1Endpoint = Object(
        Opt("ID", Guid), Req("Name", Text), Req("VirtualNetwork", Guid), Opt("VirtualNetworkName", Text), Opt("Policies", Array(new V1PolicyShape())),
        Opt("MacAddress", Text), Opt("IPAddress", Ip), Opt("PrefixLength", UInt8), Opt("IPv6Address", Ip), Opt("IPv6PrefixLength", UInt8),
        Opt("GatewayAddress", Ip), Opt("GatewayAddressV6", Ip), Opt("DNSSuffix", Text), Opt("DNSServerList", Text), Opt("IsRemoteEndpoint", Bool));

    public static readonly ObjectShape ComputeSystemModify = Object(
        Req("ResourceType", OneOf("Network")), Req("RequestType", OneOf("Add", "Remove")), Req("Settings", Guid));

    /// <summary>Checks <paramref name="json"/> against <paramref name="shape"/>; the errors, empty when it conforms.</summary>
    public static List<string> Validate(string json, Shape shape)
    {
        var errors = new List<string>();
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            shape.Validate(document.RootElement, "$", errors);
        }
        catch (JsonException e)
        {
            errors.Add("not JSON: " + e.Message);
        }
        return errors;
    }

    private static bool IsHostPrefix(string text) => IPAddress.TryParse(text, out _);

    internal abstract class Shape
    {
        public abstract void Validate(JsonElement value, string path, List<string> errors);
    }

    private sealed class StringShape(Func<string, bool>? check, string what) : Shape
    {
        public override void Validate(JsonElement value, string path, List<string> errors)
        {
            if (value.ValueKind != JsonValueKind.String)
                errors.Add($"{path}: expected {what}, found {value.ValueKind}");
            else if (check is not null && !check(value.GetString()!))
                errors.Add($"{path}: \"{value.GetString()}\" is not {what}");
        }
    }

    private sealed class UIntShape(ulong max, ulong[]? allowed = null) : Shape
    {
        public override void Validate(JsonElement value, string path, List<string> errors)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetUInt64(out ulong number) || number > max)
                errors.Add($"{path}: expected an unsigned integer up to {max}, found {value.GetRawText()}");
            else if (allowed is not null && !allowed.Contains(number))
                errors.Add($"{path}: {number} is not one of {string.Join("/", allowed)}");
        }
    }

    private sealed class BoolShape : Shape
    {
        public override void Validate(JsonElement value, string path, List<string> errors)
        {
            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                errors.Add($"{path}: expected a boolean, found {value.ValueKind}");
        }
    }

    private sealed class AnyShape : Shape
    {
        public override void Validate(JsonElement value, string path, List<string> errors)
        {
        }
    }

    private sealed class ArrayShape(Shape items) : Shape
    {
        public override void Validate(JsonElement value, string path, List<string> errors)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{path}: expected an array, found {value.ValueKind}");
                return;
            }
            int i = 0;
            foreach (JsonElement item in value.EnumerateArray())
                items.Validate(item, $"{path}[{i++}]", errors);
        }
    }

    internal sealed class ObjectShape(Dictionary<string, (Shape Shape, bool Required)> members) : Shape
    {
        public override void Validate(JsonElement value, string path, List<string> errors)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{path}: expected an object, found {value.ValueKind}");
                return;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in value.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    errors.Add($"{path}.{property.Name}: duplicate member");
                if (members.TryGetValue(property.Name, out (Shape Shape, bool Required) member))
                    member.Shape.Validate(property.Value, $"{path}.{property.Name}", errors);
                else
                    errors.Add($"{path}.{property.Name}: unknown member");
            }
            foreach ((string name, (Shape _, bool required)) in members)
            {
                if (required && !seen.Contains(name))
                    errors.Add($"{path}.{name}: required member missing");
            }
        }
    }

    // {"Type": "...", "Settings": {...}} with the settings checked against the schema of the type.
    private sealed class PolicyShape(Dictionary<string, ObjectShape> settingsByType) : Shape
    {
        public override void Validate(JsonElement value, string path, List<string> errors)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{path}: expected a policy object, found {value.ValueKind}");
                return;
            }
            string? type = value.TryGetProperty("Type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type is null || !settingsByType.TryGetValue(type, out ObjectShape? settings))
            {
                errors.Add($"{path}.Type: \"{type}\" is not a policy type ({string.Join("/", settingsByType.Keys)})");
                return;
            }
            Object(Req("Type", Text), Req("Settings", settings)).Validate(value, path, errors);
        }
    }

    // v1 policies are flat: a "Type" plus that type's members; only the type is checked.
    private sealed class V1PolicyShape : Shape
    {
        public override void Validate(JsonElement value, string path, List<string> errors)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("Type", out JsonElement type) || type.ValueKind != JsonValueKind.String)
                errors.Add($"{path}: expected a v1 policy object with a Type");
        }
    }

    // A string member holding a JSON document (HostComputeQuery.Filter).
    private sealed class EmbeddedJsonShape(Shape inner) : Shape
    {
        public override void Validate(JsonElement value, string path, List<string> errors)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                errors.Add($"{path}: expected a string holding JSON, found {value.ValueKind}");
                return;
            }
            try
            {
                using JsonDocument document = JsonDocument.Parse(value.GetString()!);
                inner.Validate(document.RootElement, path + "<json>", errors);
            }
            catch (JsonException e)
            {
                errors.Add($"{path}: not JSON: {e.Message}");
            }
        }
    }
}
