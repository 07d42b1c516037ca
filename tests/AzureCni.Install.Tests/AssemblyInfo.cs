// The install script, the plugins and network namespaces are Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
