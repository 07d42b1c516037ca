namespace AzureCni.Vnet.Linux.Kernel;

/// <summary>
/// Everything of the kernel the Linux data path touches: rtnetlink in the node's namespace and in a container's,
/// azure-vnet's nf_tables rules, and the two per-interface sysctls. <see cref="LinuxKernel"/> is the real one.
/// </summary>
internal interface ILinuxKernel
{
    /// <summary>rtnetlink in the calling thread's namespace (the node's).</summary>
    IRouteNetlinkOps OpenNode();

    bool TryOpenNamespace(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IContainerNamespace? container);

    IAzureCniRuleTable OpenRules();

    void SetProxyArp(string ifName, bool enabled);

    /// <summary>accept_ra; a kernel without IPv6 has none, which is no failure.</summary>
    void TrySetAcceptRouterAdvertisements(string ifName, int value);

    /// <summary>net.ipv6.conf.all.forwarding=1 in the node's namespace, written only when it is not already.</summary>
    void EnableIPv6Forwarding();

    bool IsIPv6ForwardingEnabled();
}
