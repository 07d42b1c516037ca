// Wine runs on Linux; the tests drive it from there.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
