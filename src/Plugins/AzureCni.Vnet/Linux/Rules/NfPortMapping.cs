using System.Net;
using System.Net.Sockets;

namespace AzureCni.Vnet.Linux.Rules;

/// <summary>
/// One CNI <c>portMappings</c> entry: traffic to <paramref name="HostPort"/> (on <paramref name="HostAddress"/>,
/// or on any of the node's local addresses when null) is DNATed to <paramref name="ContainerAddress"/>:<paramref name="ContainerPort"/>.
/// </summary>
/// <param name="Protocol"><see cref="ProtocolType.Tcp"/> or <see cref="ProtocolType.Udp"/>.</param>
internal readonly record struct NfPortMapping(
    ushort HostPort,
    ushort ContainerPort,
    ProtocolType Protocol,
    IPAddress ContainerAddress,
    IPAddress? HostAddress = null);
