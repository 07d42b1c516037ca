using System.Buffers;
using System.Text.Json;
using AzureCni.Ipam.Model;

namespace AzureCni.Ipam.Json;

/// <summary>
/// Readers and writers of the IPAM documents (the state file and interfaces.json), on Utf8JsonReader
/// and Utf8JsonWriter. Names match case-insensitively on read, as Go's encoding/json does.
/// </summary>
public static class IpamJson
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    public static byte[] WriteState(IpamState state)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", state.Version);
            if (state.Source is not null)
            {
                writer.WriteString("source", state.Source);
            }

            writer.WriteNumber("lastQuery", state.LastQuery);
            if (state.SourceError is not null)
            {
                writer.WriteString("sourceError", state.SourceError);
            }

            writer.WriteNumber("sequence", state.Sequence);
            writer.WriteStartArray("pools");
            foreach (var pool in state.Pools)
            {
                writer.WriteStartObject();
                writer.WriteString("subnet", pool.Subnet);
                writer.WriteString("ifName", pool.IfName);
                writer.WriteString("gateway", pool.Gateway);
                writer.WriteNumber("priority", pool.Priority);
                writer.WriteStartArray("addresses");
                foreach (var record in pool.Addresses)
                {
                    writer.WriteStartObject();
                    writer.WriteString("address", record.Address);
                    if (record.ContainerId is not null)
                    {
                        writer.WriteString("containerId", record.ContainerId);
                    }

                    if (record.IfName is not null)
                    {
                        writer.WriteString("ifName", record.IfName);
                    }

                    writer.WriteBoolean("stale", record.Stale);
                    writer.WriteNumber("released", record.Released);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Throws JsonException (or InvalidOperationException for a wrongly typed member) on anything malformed.</summary>
    public static IpamState ReadState(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        var state = new IpamState { Version = 0 };
        StartObject(ref reader, "state");
        while (NextProperty(ref reader, out string name))
        {
            switch (name.ToLowerInvariant())
            {
                case "version": state.Version = reader.GetInt32(); break;
                case "source": state.Source = String(ref reader); break;
                case "lastquery": state.LastQuery = reader.GetInt64(); break;
                case "sourceerror": state.SourceError = String(ref reader); break;
                case "sequence": state.Sequence = reader.GetInt64(); break;
                case "pools": state.Pools = Array(ref reader, ReadPool); break;
                default: reader.Skip(); break;
            }
        }

        End(ref reader);
        return state;
    }

    public static SourceInterfaces ReadInterfaces(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        var result = new SourceInterfaces();
        StartObject(ref reader, "interfaces file");
        while (NextProperty(ref reader, out string name))
        {
            if (name.Equals("Interfaces", StringComparison.OrdinalIgnoreCase))
            {
                result.Interfaces = Array(ref reader, ReadInterface);
            }
            else
            {
                reader.Skip();
            }
        }

        End(ref reader);
        return result;
    }

    private static AddressPool ReadPool(ref Utf8JsonReader reader)
    {
        var pool = new AddressPool();
        StartObject(ref reader, "pool");
        while (NextProperty(ref reader, out string name))
        {
            switch (name.ToLowerInvariant())
            {
                case "subnet": pool.Subnet = String(ref reader) ?? ""; break;
                case "ifname": pool.IfName = String(ref reader) ?? ""; break;
                case "gateway": pool.Gateway = String(ref reader) ?? ""; break;
                case "priority": pool.Priority = reader.GetInt32(); break;
                case "addresses": pool.Addresses = Array(ref reader, ReadRecord); break;
                default: reader.Skip(); break;
            }
        }

        return pool;
    }

    private static AddressRecord ReadRecord(ref Utf8JsonReader reader)
    {
        var record = new AddressRecord();
        StartObject(ref reader, "address");
        while (NextProperty(ref reader, out string name))
        {
            switch (name.ToLowerInvariant())
            {
                case "address": record.Address = String(ref reader) ?? ""; break;
                case "containerid": record.ContainerId = String(ref reader); break;
                case "ifname": record.IfName = String(ref reader); break;
                case "stale": record.Stale = reader.GetBoolean(); break;
                case "released": record.Released = reader.GetInt64(); break;
                default: reader.Skip(); break;
            }
        }

        return record;
    }

    private static SourceInterface ReadInterface(ref Utf8JsonReader reader)
    {
        var nic = new SourceInterface();
        StartObject(ref reader, "interface");
        while (NextProperty(ref reader, out string name))
        {
            switch (name.ToLowerInvariant())
            {
                case "macaddress": nic.MacAddress = String(ref reader) ?? ""; break;
                case "isprimary": nic.IsPrimary = reader.GetBoolean(); break;
                case "ipsubnets": nic.IPSubnets = Array(ref reader, ReadSubnet); break;
                default: reader.Skip(); break;
            }
        }

        return nic;
    }

    private static SourceSubnet ReadSubnet(ref Utf8JsonReader reader)
    {
        var subnet = new SourceSubnet();
        StartObject(ref reader, "subnet");
        while (NextProperty(ref reader, out string name))
        {
            switch (name.ToLowerInvariant())
            {
                case "prefix": subnet.Prefix = String(ref reader) ?? ""; break;
                case "ipaddresses": subnet.IPAddresses = Array(ref reader, ReadAddress); break;
                default: reader.Skip(); break;
            }
        }

        return subnet;
    }

    private static SourceAddress ReadAddress(ref Utf8JsonReader reader)
    {
        var address = new SourceAddress();
        StartObject(ref reader, "address");
        while (NextProperty(ref reader, out string name))
        {
            switch (name.ToLowerInvariant())
            {
                case "address": address.Address = String(ref reader) ?? ""; break;
                case "isprimary": address.IsPrimary = reader.GetBoolean(); break;
                default: reader.Skip(); break;
            }
        }

        return address;
    }

    private delegate T ItemReader<T>(ref Utf8JsonReader reader);

    private static List<T> Array<T>(ref Utf8JsonReader reader, ItemReader<T> item)
    {
        var list = new List<T>();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return list;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array, found {reader.TokenType}");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(item(ref reader));
        }

        return list;
    }

    private static void StartObject(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType == JsonTokenType.None && !reader.Read())
        {
            throw new JsonException($"{what}: empty document");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"{what}: expected an object, found {reader.TokenType}");
        }
    }

    private static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
        {
            name = "";
            return false;
        }

        name = reader.GetString()!;
        reader.Read();
        return true;
    }

    // Rejects trailing content after the root object (Utf8JsonReader stops at the end of the root value otherwise).
    private static void End(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("unexpected content after the document");
        }
    }

    private static string? String(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
}
