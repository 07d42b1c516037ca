using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Hns.Schema;
using AzureCni.Json;

namespace AzureCni.Vnet.Windows;

/// <summary>
/// The endpoint policies of one ADD, from the config's AdditionalArgs and the runtime's portMappings,
/// in both shapes: HCN v2 ({"Type", "Settings"}) and HNS v1 (flat, as written in the config).
/// </summary>
public static class WindowsPolicies
{
    public const uint TcpProtocol = 6;
    public const uint UdpProtocol = 17;

    /// <summary>
    /// v2 policies, in this order: the config's EndpointPolicy entries (OutBoundNAT with its ExceptionList
    /// as Exceptions, ROUTE as SDNRoute, ACL), the port mappings, then loopback DSR for each IPv4 pod address.
    /// NetworkPolicy entries and unknown policy types are not endpoint policies of v2 and are left out.
    /// </summary>
    public static List<EndpointPolicy> ForHcn(WindowsNetworkConfig config, IReadOnlyList<IPAddress> podAddresses)
    {
        var policies = new List<EndpointPolicy>();
        foreach (RawJson value in EndpointPolicyValues(config))
        {
            if (Translate(ReadV1Policy(value)) is { } policy)
                policies.Add(policy);
        }

        bool dualStack = podAddresses.Any(a => a.AddressFamily == AddressFamily.InterNetworkV6);
        foreach (PortMapping mapping in config.RuntimeConfig?.PortMappings ?? [])
        {
            (ushort external, ushort @internal, uint protocol) = Validate(mapping);
            if (string.IsNullOrEmpty(mapping.HostIp))
            {
                policies.Add(EndpointPolicy.PortMapping(@internal, external, protocol, NatFlags.LocalRoutedVip));
                if (dualStack)
                    policies.Add(EndpointPolicy.PortMapping(@internal, external, protocol, NatFlags.IPv6));
            }
            else
            {
                IPAddress hostIp = ParseHostIp(mapping.HostIp);
                uint flags = hostIp.AddressFamily == AddressFamily.InterNetworkV6 ? NatFlags.IPv6 : NatFlags.LocalRoutedVip;
                policies.Add(EndpointPolicy.PortMapping(@internal, external, protocol, flags, hostIp.ToString()));
            }
        }

        if (config.WindowsSettings?.EnableLoopbackDsr == true)
        {
            foreach (IPAddress address in podAddresses)
            {
                if (address.AddressFamily == AddressFamily.InterNetwork)
                    policies.Add(EndpointPolicy.LoopbackDsr(address.ToString()));
            }
        }
        return policies;
    }

    /// <summary>v1 policies: the config's EndpointPolicy values as written, then a NAT policy per port mapping.</summary>
    public static List<RawJson> ForHnsV1(WindowsNetworkConfig config)
    {
        var policies = new List<RawJson>(EndpointPolicyValues(config));
        foreach (PortMapping mapping in config.RuntimeConfig?.PortMappings ?? [])
        {
            (ushort external, ushort @internal, uint protocol) = Validate(mapping);
            var buffer = new ArrayBufferWriter<byte>();
            using (Utf8JsonWriter writer = CniJson.CreateWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("Type", "NAT");
                writer.WriteNumber("InternalPort", @internal);
                writer.WriteNumber("ExternalPort", external);
                writer.WriteString("Protocol", protocol == TcpProtocol ? "TCP" : "UDP");
                writer.WriteEndObject();
            }
            policies.Add(RawJson.FromTrustedUtf8(buffer.WrittenMemory));
        }
        return policies;
    }

    private static IEnumerable<RawJson> EndpointPolicyValues(WindowsNetworkConfig config)
    {
        foreach (AdditionalArg arg in config.AdditionalArgs ?? [])
        {
            if (!string.Equals(arg.Name, AdditionalArg.EndpointPolicy, StringComparison.OrdinalIgnoreCase))
                continue;
            if (arg.Value.TokenType != JsonTokenType.StartObject)
                throw new CniException(CniErrorCode.InvalidNetworkConfig, "AdditionalArgs: an EndpointPolicy value must be a JSON object.", arg.Value.ToString());
            yield return arg.Value;
        }
    }

    private static V1EndpointPolicy ReadV1Policy(RawJson value)
    {
        try
        {
            return value.Deserialize<V1EndpointPolicy>();
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"AdditionalArgs: bad EndpointPolicy: {e.Message}", value.ToString(), e);
        }
    }

    private static EndpointPolicy? Translate(V1EndpointPolicy v1)
    {
        switch (v1.Type?.ToUpperInvariant())
        {
            case "OUTBOUNDNAT":
                return new EndpointPolicy
                {
                    Type = EndpointPolicyTypes.OutBoundNat,
                    Settings = new EndpointPolicySettings
                    {
                        VirtualIp = v1.Vip,
                        Exceptions = v1.ExceptionList ?? v1.Exceptions,
                        Destinations = v1.Destinations,
                    },
                };
            case "ROUTE":
            case "SDNROUTE":
                if (string.IsNullOrEmpty(v1.DestinationPrefix))
                    throw new CniException(CniErrorCode.InvalidNetworkConfig, "AdditionalArgs: a ROUTE policy needs a DestinationPrefix.");
                return EndpointPolicy.SdnRoute(v1.DestinationPrefix, v1.NeedEncap ?? false);
            case "ACL":
                return new EndpointPolicy
                {
                    Type = EndpointPolicyTypes.Acl,
                    Settings = new EndpointPolicySettings
                    {
                        Id = v1.Id,
                        Protocols = v1.Protocols ?? (v1.Protocol is { } number ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : null),
                        Action = v1.Action,
                        Direction = v1.Direction,
                        LocalAddresses = v1.LocalAddresses,
                        RemoteAddresses = v1.RemoteAddresses,
                        LocalPorts = v1.LocalPorts ?? PortText(v1.LocalPort),
                        RemotePorts = v1.RemotePorts ?? PortText(v1.RemotePort),
                        RuleType = v1.RuleType,
                        Priority = v1.Priority,
                    },
                };
            default:
                return null;
        }
    }

    private static string? PortText(ushort? port)
        => port is > 0 ? port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    private static (ushort External, ushort Internal, uint Protocol) Validate(PortMapping mapping)
    {
        if (mapping.HostPort is < 1 or > ushort.MaxValue || mapping.ContainerPort is < 1 or > ushort.MaxValue)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"runtimeConfig.portMappings: ports must be 1-65535 (hostPort {mapping.HostPort}, containerPort {mapping.ContainerPort}).");
        }
        uint protocol = mapping.Protocol?.ToUpperInvariant() switch
        {
            null or "" or "TCP" => TcpProtocol,
            "UDP" => UdpProtocol,
            _ => throw new CniException(CniErrorCode.InvalidNetworkConfig, $"runtimeConfig.portMappings: unsupported protocol \"{mapping.Protocol}\"."),
        };
        return ((ushort)mapping.HostPort, (ushort)mapping.ContainerPort, protocol);
    }

    private static IPAddress ParseHostIp(string text)
        => IPAddress.TryParse(text, out IPAddress? address)
            ? address
            : throw new CniException(CniErrorCode.InvalidNetworkConfig, $"runtimeConfig.portMappings: hostIP \"{text}\" is not an IP address.");
}
