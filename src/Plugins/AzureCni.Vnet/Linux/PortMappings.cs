using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Vnet.Linux.Rules;

namespace AzureCni.Vnet.Linux;

/// <summary>runtimeConfig.portMappings, validated, one rule per mapping and container address of a matching family.</summary>
internal static class PortMappings
{
    public static List<NfPortMapping> Of(CniRequest request, List<IPNetworkAddress> addresses)
    {
        var result = new List<NfPortMapping>();
        foreach (var m in request.Config.RuntimeConfig?.PortMappings ?? [])
        {
            ProtocolType protocol = (m.Protocol ?? "tcp").ToLowerInvariant() switch
            {
                "tcp" or "" => ProtocolType.Tcp,
                "udp" => ProtocolType.Udp,
                _ => throw new CniException(CniErrorCode.InvalidNetworkConfig, $"azure-vnet: port mapping protocol \"{m.Protocol}\" is not tcp or udp"),
            };
            if (m.HostPort is < 1 or > 65535 || m.ContainerPort is < 1 or > 65535)
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig,
                    $"azure-vnet: port mapping {m.HostPort.ToString(CultureInfo.InvariantCulture)}->{m.ContainerPort.ToString(CultureInfo.InvariantCulture)} is out of range");
            }

            IPAddress? hostIp = null;
            if (!string.IsNullOrEmpty(m.HostIp) && !IPAddress.TryParse(m.HostIp, out hostIp))
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"azure-vnet: port mapping hostIP \"{m.HostIp}\" is not an address");

            foreach (var address in addresses)
            {
                if (hostIp is null || hostIp.AddressFamily == address.Address.AddressFamily)
                    result.Add(new NfPortMapping((ushort)m.HostPort, (ushort)m.ContainerPort, protocol, address.Address, hostIp));
            }
        }

        return result;
    }
}
