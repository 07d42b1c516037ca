// The HNS tests build the Windows documents directly to compare them with their golden files.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("AzureCni.Hns.Tests")]
